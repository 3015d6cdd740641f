package io.raftfs.cli;

import picocli.CommandLine.Command;

@Command(
    name = "admin",
    description = "Change how the cluster treats its data nodes.",
    subcommands = {
      DecommissionCommand.class,
      RecommissionCommand.class,
      CaCommand.class,
      CertCommand.class
    })
final class AdminCommand {}
