package org.trickbench.harness.analysis;

import java.util.LinkedHashMap;
import java.util.Map;

/** Tiny fixtures: finished runs with only the fields a test looks at. */
final class Runs {
    private Runs() {}

    static final String DATASET = "cifar10";

    /** A trick setting from "id+" (on) and "id-" (off) tokens, e.g. tricks("cutout+", "mixup-"). */
    static Map<String, Boolean> tricks(String... settings) {
        Map<String, Boolean> tricks = new LinkedHashMap<>();
        for (String s : settings) {
            char sign = s.charAt(s.length() - 1);
            if (sign != '+' && sign != '-') {
                throw new IllegalArgumentException("fixture trick '" + s + "' must end in + or -");
            }
            tricks.put(s.substring(0, s.length() - 1), sign == '+');
        }
        return tricks;
    }

    static Observation run(String algorithm, long seed, double accuracy, Map<String, Boolean> tricks) {
        return new Observation(algorithm, DATASET, seed, tricks, accuracy, null, null, null, false);
    }

    static Observation baseline(String dataset, long seed, double accuracy, Map<String, Boolean> tricks) {
        return new Observation("random", dataset, seed, tricks, accuracy, null, null, null, true);
    }
}
