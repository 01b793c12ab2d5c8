package dev.framewright.system;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** A test of the running system: the shared {@link RunningSystem} is up before it, and it has a folder for media. */
abstract class SystemTest {

    /** Inputs the test made and outputs it downloaded. */
    @TempDir
    static Path media;

    @BeforeAll
    static void startSystem() {
        RunningSystem.get();
    }
}
