package org.trickbench.tricks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/tricks.md is generated from the tricks' own metadata and must stay in sync with it. To
 * regenerate after changing a trick: {@code mvn -pl tricks test -Dtest=TricksDocsTest -Dtrickbench.writeDocs=true}.
 */
class TricksDocsTest {
    static final Path DOCS = Path.of("..", "docs", "tricks.md");

    static String expected() {
        return "# Tricks\n\n"
                + "Generated from the tricks' own metadata (`bench list tricks` prints the same); do not edit by hand.\n"
                + "A trick acts in its phases only, and only in runs of the families it lists; a matrix cell that\n"
                + "switches on a trick that cannot act there is dropped and recorded with the reason.\n\n"
                + Tricks.markdownTable()
                + "\n## Parameters\n\n"
                + "Each parameter's type, allowed values, default and unit, as runs check them (`bench list tricks`"
                + " prints the same).\n\n"
                + Tricks.markdownParameters();
    }

    @Test
    void docsTableMatchesTheRegistry() throws IOException {
        if (Boolean.getBoolean("trickbench.writeDocs")) {
            Files.createDirectories(DOCS.getParent());
            Files.writeString(DOCS, expected());
        }
        assertEquals(expected(), Files.readString(DOCS),
                "docs/tricks.md is out of date; regenerate it as this test's comment says");
    }
}
