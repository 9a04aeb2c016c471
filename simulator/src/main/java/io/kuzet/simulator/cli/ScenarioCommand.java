package io.kuzet.simulator.cli;

import io.kuzet.server.alert.Alert;
import io.kuzet.simulator.scenario.ScenarioFile;
import io.kuzet.simulator.scenario.ScenarioResult;
import io.kuzet.simulator.scenario.ScenarioRunner;
import io.kuzet.simulator.target.TempDataDir;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code scenario FILE}: runs a scripted scenario against an in-process server and checks its expectations. */
@Command(name = "scenario", mixinStandardHelpOptions = true,
        description = "Run a YAML/JSON scenario on simulated time against an in-process server; exit 1 if an expectation fails.")
public final class ScenarioCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "Scenario file (YAML or JSON).")
    Path file;

    @Override
    public Integer call() throws Exception {
        ScenarioFile scenario = ScenarioFile.read(file);
        ScenarioResult result;
        try (TempDataDir dir = new TempDataDir("kuzet-scenario-")) {
            result = new ScenarioRunner().run(scenario, dir.path());
        }
        for (Alert a : result.alerts()) {
            System.out.printf("%s %-20s %-8s subject=%d fix=%s detected=%s%s  %s%n", a.phase(), a.type(), a.severity(), a.subjectId(),
                    java.time.Instant.ofEpochMilli(a.fixTimeMs()), java.time.Instant.ofEpochMilli(a.detectedAtMs()), a.late() ? " LATE" : "",
                    a.explanation());
        }
        List<String> failures = result.failures(scenario.expect);
        failures.forEach(f -> System.out.println("FAILED: " + f));
        System.out.println(scenario.name + ": " + (failures.isEmpty() ? "all " + scenario.expect.size() + " expectations met" : failures.size() + " failed")
                + ", " + result.journaledMessages().size() + " messages journaled, " + result.duplicateMessages().size() + " duplicates");
        return failures.isEmpty() && result.duplicateMessages().isEmpty() ? 0 : 1;
    }
}
