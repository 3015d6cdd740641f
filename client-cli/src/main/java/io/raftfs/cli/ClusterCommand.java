package io.raftfs.cli;

import picocli.CommandLine.Command;

@Command(
    name = "cluster",
    description = "Look at the cluster itself.",
    subcommands = {ClusterStatusCommand.class})
final class ClusterCommand {}
