package org.trickbench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every broken matrix file under test resources {@code matrices/bad/} stops `bench run` with exit 2 and
 * one line naming the file, the line and the problem (the file's first line says which: {@code # expect: …}),
 * before the database is created; none prints a stack trace or a Java type name.
 */
class MalformedMatrixTest {
    /** A qualified Java type name (java.lang.Long, org.trickbench….AlgorithmEntry) or a backquoted simple one. */
    private static final Pattern JAVA_TYPE = Pattern.compile("\\b(java|javax|org|com)\\.[a-z]+\\.|`[A-Z][A-Za-z]+`");

    static Stream<Path> badMatrices() throws IOException, URISyntaxException {
        Path dir = Path.of(MalformedMatrixTest.class.getResource("/matrices/bad").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
            assertTrue(all.size() >= 20, "the suite needs at least 20 broken files, has " + all.size());
            return all.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("badMatrices")
    void brokenMatrixExitsTwoNamingFileAndProblem(Path file, @TempDir Path tmp) throws IOException {
        String first = Files.readAllLines(file).get(0);
        assertTrue(first.startsWith("# expect: "), file + " must start with '# expect: …'");
        String expected = first.substring("# expect: ".length()).strip();
        Path db = tmp.resolve("r.db");
        BenchCliTest.Result r = BenchCliTest.bench("run", "--matrix", file.toString(), "--device", "cpu", "--db", db.toString());
        assertEquals(2, r.code(), file.getFileName() + ": " + r.out() + r.err());
        assertTrue(r.err().contains(file.toString()), file.getFileName() + " not named: " + r.err());
        assertTrue(r.err().contains(expected), file.getFileName() + ": expected '" + expected + "' in: " + r.err());
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), file.getFileName() + ": " + r.err());
        assertTrue(Pattern.compile(Pattern.quote(file.toString()) + " line [1-9][0-9]*: ").matcher(r.err()).find(),
                file.getFileName() + ": no line number: " + r.err());
        assertFalse(JAVA_TYPE.matcher(r.err()).find() || r.err().contains("Cannot construct"),
                file.getFileName() + " names a Java type: " + r.err());
        assertEquals(1, r.err().strip().lines().count(), file.getFileName() + ": " + r.err());
        assertFalse(Files.exists(db), file.getFileName() + ": the database was created");
    }
}
