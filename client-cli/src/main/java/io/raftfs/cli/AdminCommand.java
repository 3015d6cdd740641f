package io.raftfs.cli;

import picocli.CommandLine.Command;

@Command(
    name = "admin",
    description = "Superuser operations: data nodes' service, users.",
    subcommands = {DecommissionCommand.class, RecommissionCommand.class, UserCommand.class})
final class AdminCommand {}
