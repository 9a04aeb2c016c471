package io.kuzet.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Prometheus' {@code promtool} (Debian package {@code prometheus}; {@code .ci/run} installs it). A missing promtool
 * fails the test rather than skipping it, so CI never passes without having checked the rules.
 * {@code KUZET_PROMTOOL} may name the binary explicitly.
 */
final class Promtool {
    private static final long TIMEOUT_SECONDS = 120;

    private Promtool() {
    }

    /** Runs {@code promtool args...} in {@code workDir} and fails the test, with promtool's output, unless it exits 0. */
    static String runExpectingSuccess(Path workDir, String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary().toString());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("promtool " + String.join(" ", args) + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            String text = new String(output, StandardCharsets.UTF_8);
            assertEquals(0, process.exitValue(),
                    () -> "promtool " + String.join(" ", args) + " (in " + workDir + ") failed:\n" + text);
            return text;
        } catch (IOException e) {
            return fail("cannot run " + command + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted while running " + command, e);
        }
    }

    static Path binary() {
        String explicit = System.getenv("KUZET_PROMTOOL");
        if (explicit != null && !explicit.isBlank()) {
            Path path = Path.of(explicit);
            if (!Files.isExecutable(path)) {
                fail("KUZET_PROMTOOL=" + explicit + " is not an executable file");
            }
            return path;
        }
        String pathVariable = System.getenv().getOrDefault("PATH", "");
        for (String dir : pathVariable.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return fail("promtool not found on PATH (" + pathVariable + "). The ops rules cannot be checked without it: "
                + "install the Debian package 'prometheus' (apt-get install -y prometheus), which .ci/run does, "
                + "or set KUZET_PROMTOOL to the binary.");
    }
}
