package org.trickbench.harness.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.trickbench.core.run.RunSpec;

/**
 * Every built-in preset expands to the same run ids as the golden file beside it
 * ({@code src/test/resources/golden/run-ids-<preset>.txt}, sorted, one a line). A run id is the hash of its
 * spec's canonical JSON, so a change to a default, a record's fields or how a matrix expands shows here as
 * a diff: runs stored before it would no longer be recognised. Where the change is meant, regenerate the files
 * with {@code -Dtrickbench.updateGolden=true} and commit them with it.
 */
class PresetRunIdsGoldenTest {
    private static final String UPDATE = "trickbench.updateGolden";
    private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");
    static final List<String> PRESETS = Matrices.PRESETS;

    @ParameterizedTest
    @FieldSource("PRESETS")
    void presetExpandsToTheGoldenRunIds(String preset) throws IOException {
        List<String> ids = Expansion.expand(Matrices.load(preset)).stream().map(RunSpec::id).sorted().toList();
        assertTrue(!ids.isEmpty(), preset + " expands to no run");
        Path file = GOLDEN.resolve("run-ids-" + preset + ".txt");
        if (Boolean.getBoolean(UPDATE)) {
            Files.createDirectories(GOLDEN);
            Files.write(file, ids, StandardCharsets.UTF_8);
            System.out.println("wrote " + ids.size() + " run ids of preset " + preset + " to " + file);
            return;
        }
        assertTrue(Files.isRegularFile(file), file + " is missing; write it with -D" + UPDATE + "=true");
        assertEquals(Files.readAllLines(file, StandardCharsets.UTF_8), ids, "run ids of preset " + preset
                + " changed; if that is meant, regenerate " + file + " with -D" + UPDATE + "=true");
    }
}
