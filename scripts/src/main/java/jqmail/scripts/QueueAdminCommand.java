package jqmail.scripts;

import picocli.CommandLine.Command;

/** {@code jqmail queue ...}: the administrator's verbs on the queue; each is a subcommand of its own. */
@Command(name = "queue", description = "Administer the queue.", subcommands = {FsckCommand.class})
final class QueueAdminCommand {
}
