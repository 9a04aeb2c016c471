package io.kuzet.simulator;

import io.kuzet.simulator.cli.DemoCommand;
import io.kuzet.simulator.cli.LoadCommand;
import io.kuzet.simulator.cli.QualityCommand;
import io.kuzet.simulator.cli.ScenarioCommand;
import io.kuzet.simulator.cli.ServeCommand;
import io.kuzet.simulator.cli.StormCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the Kuzet device simulator: {@code demo}, {@code scenario FILE}, {@code load}, {@code storm}, {@code quality}. */
@Command(name = "kuzet-simulator", mixinStandardHelpOptions = true, version = "kuzet-simulator 0.1",
        description = "Virtual GPS bracelet fleets with ground truth for demos, acceptance scenarios, load and alert quality.",
        subcommands = {DemoCommand.class, ScenarioCommand.class, LoadCommand.class, StormCommand.class, QualityCommand.class, ServeCommand.class})
public final class SimulatorMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SimulatorMain()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
