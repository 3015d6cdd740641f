package io.raftfs.cli;

import picocli.CommandLine.Command;

@Command(
    name = "ca",
    description = "The cluster's certificate authority (docs/security.md).",
    subcommands = {CaInitCommand.class})
final class CaCommand {}
