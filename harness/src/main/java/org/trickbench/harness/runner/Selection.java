package org.trickbench.harness.runner;

import java.math.BigInteger;
import java.util.List;
import org.trickbench.core.UserInputException;
import org.trickbench.core.run.RunSpec;

/** Which of a matrix's runs this invocation takes: a shard, or a single run by id. */
public final class Selection {
    private Selection() {}

    /** {@code i/n} with 1 ≤ i ≤ n, as written after {@code --shard}. */
    public record Shard(int index, int count) {
        public Shard {
            if (count < 1 || index < 1 || index > count) {
                throw new UserInputException("--shard " + index + "/" + count + " is not allowed: use i/n with 1 <= i <= n");
            }
        }

        public static Shard parse(String text) {
            String[] parts = text.split("/", -1);
            try {
                if (parts.length == 2) {
                    return new Shard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
                }
            } catch (NumberFormatException e) {
                // falls through to the message below
            }
            throw new UserInputException("--shard '" + text + "' is not allowed: use i/n, e.g. --shard 2/8");
        }

        /**
         * Whether a run id falls in this shard: the id (a SHA-256 in hex) read as a number, modulo n.
         * Depends on the id alone, so every shard of every array task agrees without talking.
         */
        public boolean contains(String runId) {
            return new BigInteger(runId, 16).mod(BigInteger.valueOf(count)).intValue() == index - 1;
        }

        @Override
        public String toString() {
            return index + "/" + count;
        }
    }

    public static List<RunSpec> shard(List<RunSpec> specs, Shard shard) {
        return specs.stream().filter(s -> shard.contains(s.id())).toList();
    }

    /** The one run whose id starts with {@code prefix}; a user error if none or several match. */
    public static List<RunSpec> only(List<RunSpec> specs, String prefix) {
        List<RunSpec> hits = specs.stream().filter(s -> s.id().startsWith(prefix.toLowerCase(java.util.Locale.ROOT))).toList();
        if (hits.isEmpty()) {
            throw new UserInputException("--only " + prefix + ": no run of this matrix has an id starting so;"
                    + " `bench run --dry-run` lists them");
        }
        if (hits.size() > 1) {
            throw new UserInputException("--only " + prefix + " matches " + hits.size() + " runs; give more of the id");
        }
        return hits;
    }
}
