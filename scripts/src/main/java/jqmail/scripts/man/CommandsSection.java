package jqmail.scripts.man;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The COMMANDS and OPTIONS of a picocli program's page, from the same model
 * that parses its command line, so the page cannot list an option the
 * program does not take: each visible subcommand, nested ones under their
 * full name ({@code jqmail queue hold}), with its synopsis, its description
 * and each option and parameter with its own. Hidden commands and options
 * (the supervisor's internals) are left out, as in {@code --help}.
 */
final class CommandsSection {
    private CommandsSection() {
    }

    static void render(CommandLine top, Roff out) {
        out.request("SH", "COMMANDS");
        for (CommandLine sub : visible(top)) {
            command(sub, top.getCommandName() + " ", out);
        }
        List<OptionSpec> own = top.getCommandSpec().options().stream().filter(o -> !o.hidden()).toList();
        if (!own.isEmpty()) {
            out.request("SH", "OPTIONS");
            for (OptionSpec o : own) {
                argument(o, out);
            }
        }
    }

    private static void command(CommandLine cl, String prefix, Roff out) {
        CommandSpec spec = cl.getCommandSpec();
        String name = prefix + cl.getCommandName();
        out.request("TP").line(synopsis(name, spec));
        out.text(Roff.escape(String.join(" ", spec.usageMessage().description())));
        List<ArgSpec> args = spec.args().stream().filter(a -> !a.hidden() && !isHelp(a)).toList();
        if (!args.isEmpty()) {
            out.request("RS", "4");
            for (ArgSpec a : args) {
                argument(a, out);
            }
            out.request("RE");
        }
        for (CommandLine sub : visible(cl)) {
            command(sub, name + " ", out);
        }
    }

    /** {@code \fBjqmail setup\fR [\fB\-\-home\fR \fIDIR\fR] ...}: required arguments bare, others in brackets. */
    static String synopsis(String name, CommandSpec spec) {
        StringBuilder b = new StringBuilder(Roff.bold(Roff.escape(name)));
        for (ArgSpec a : spec.args()) {
            if (a.hidden() || isHelp(a)) {
                continue;
            }
            String shown = shown(a) + (a.isMultiValue() ? " ..." : "");
            boolean required = a instanceof OptionSpec ? a.required() : a.arity().min() > 0;
            b.append(' ').append(required ? shown : "[" + shown + "]");
        }
        return b.toString();
    }

    private static void argument(ArgSpec a, Roff out) {
        String shown = a instanceof OptionSpec o && o.names().length > 1
            ? String.join(", ", java.util.Arrays.stream(o.names()).map(n -> Roff.bold(Roff.escape(n))).toList())
                + value(a)
            : shown(a);
        out.request("TP").line(shown);
        out.text(Roff.escape(String.join(" ", a.description())));
    }

    /** An option as {@code \fB\-\-home\fR \fIDIR\fR}, a parameter as {@code \fIDIR\fR}. */
    private static String shown(ArgSpec a) {
        if (a instanceof OptionSpec o) {
            return Roff.bold(Roff.escape(o.longestName())) + value(a);
        }
        return Roff.italic(Roff.escape(((PositionalParamSpec) a).paramLabel()));
    }

    private static String value(ArgSpec a) {
        return a.arity().max() == 0 ? "" : " " + Roff.italic(Roff.escape(a.paramLabel()));
    }

    private static boolean isHelp(ArgSpec a) {
        return a instanceof OptionSpec o && (o.usageHelp() || o.versionHelp());
    }

    /** Each visible subcommand once (aliases share one CommandLine). */
    private static Set<CommandLine> visible(CommandLine cl) {
        Set<CommandLine> out = new LinkedHashSet<>();
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (!sub.getCommandSpec().usageMessage().hidden()) {
                out.add(sub);
            }
        }
        return out;
    }
}
