package io.raftfs.cli;

import picocli.CommandLine.Command;

@Command(
    name = "cert",
    description = "Masters' and data nodes' certificates (docs/security.md).",
    subcommands = {CertIssueCommand.class, CertRevokeCommand.class})
final class CertCommand {}
