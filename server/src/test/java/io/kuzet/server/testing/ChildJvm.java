package io.kuzet.server.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The start of a command line for a child JVM in a test (crash and kill tests): this JVM's java, plus the test JVM flags. */
public final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * {@code java} of the running JDK followed by the flags of {@code -Dkuzet.test.jvmArgs} (the POM's
     * module-opening flags); the caller adds its own flags, {@code -cp} and the main class. A new, mutable list.
     */
    public static List<String> java() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(System.getProperty("kuzet.test.jvmArgs", "").split(" ")).stream().filter(s -> !s.isBlank()).toList());
        return command;
    }
}
