package io.raftfs.cli;

import picocli.CommandLine.Command;

@Command(
    name = "user",
    description = {
      "Manage users: access key pairs (as S3's) the masters keep in their replicated state.",
      "Superuser only (the root key, or a member of raftfs.master.auth.superuser.group)."
    },
    subcommands = {
      UserAddCommand.class,
      UserListCommand.class,
      UserRemoveCommand.class,
      UserRotateKeyCommand.class
    })
final class UserCommand {}
