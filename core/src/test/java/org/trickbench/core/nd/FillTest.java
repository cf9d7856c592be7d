package org.trickbench.core.nd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class FillTest {
    @Test
    void zeroClearsNanAndInfinityWhereMultiplyingByZeroKeepsThem() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (Shape shape : List.of(new Shape(), new Shape(3), new Shape(2, 3, 2, 2))) {
                NDArray a = m.full(shape, Float.NaN);
                a.muli(0);
                assertArrayEquals(fill(shape, Float.NaN), a.toFloatArray(), "muli(0) keeps NaN: the reason for Fill");
                Fill.zero(a);
                assertArrayEquals(fill(shape, 0), a.toFloatArray(), shape.toString());
                NDArray b = m.full(shape, Float.POSITIVE_INFINITY);
                Fill.constant(b, 1.5);
                assertArrayEquals(fill(shape, 1.5f), b.toFloatArray(), shape.toString());
            }
        }
    }

    @Test
    void copyOverwritesNanInPlaceAndKeepsTheSameArray() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray target = m.full(new Shape(2, 2), Float.NaN);
            NDArray view = target.get("0"); // a view shares the storage: in place means it sees the copy
            Fill.copy(m.create(new float[] {1, 2, 3, 4}, new Shape(2, 2)), target);
            assertArrayEquals(new float[] {1, 2, 3, 4}, target.toFloatArray());
            assertArrayEquals(new float[] {1, 2}, view.toFloatArray());
            assertThrows(IllegalArgumentException.class, () -> Fill.copy(m.zeros(new Shape(3)), target));
        }
    }

    /** The main code never clears or restores an array by multiplying it by zero. */
    @Test
    void noMainCodeMultipliesByZeroToClear() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<String> offenders = new ArrayList<>();
        for (String module : List.of("core", "tricks", "algorithms", "harness", "benchmarks")) {
            Path main = root.resolve(module).resolve("src/main/java");
            if (!Files.isDirectory(main)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(main)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    List<String> lines = Files.readAllLines(f);
                    for (int i = 0; i < lines.size(); i++) {
                        String code = lines.get(i).strip();
                        boolean comment = code.startsWith("*") || code.startsWith("//") || code.startsWith("/*");
                        if (!comment && code.replace(" ", "").matches(".*muli\\(0(\\.0*)?[fFdD]?\\).*")) {
                            offenders.add(root.relativize(f) + ":" + (i + 1));
                        }
                    }
                }
            }
        }
        org.junit.jupiter.api.Assertions.assertEquals(List.of(), offenders,
                "zero with org.trickbench.core.nd.Fill, not muli(0), which keeps NaN");
    }

    private static float[] fill(Shape shape, float v) {
        float[] a = new float[(int) Math.max(1, shape.size())];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
