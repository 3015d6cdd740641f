package io.raftfs.cli;

import picocli.CommandLine.Command;

@Command(
    name = "admin",
    description =
        "Superuser operations: data nodes' service, users; and the cluster's certificates.",
    subcommands = {
      DecommissionCommand.class,
      RecommissionCommand.class,
      UserCommand.class,
      CaCommand.class,
      CertCommand.class
    })
final class AdminCommand {}
