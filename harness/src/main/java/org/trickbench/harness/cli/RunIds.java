package org.trickbench.harness.cli;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.trickbench.core.UserInputException;
import org.trickbench.harness.store.Store;

/**
 * Finds a stored run by its id or a unique prefix of it, as {@code bench show}, {@code bench diff} and
 * {@code bench run --only} (without a matrix) take it. Anything but exactly one match is a user error
 * naming the id, and for an ambiguous prefix the runs it matches.
 */
final class RunIds {
    /** The shortest prefix taken: 6 hex digits leave 16.7 million ids, enough to be unique in any database. */
    static final int MIN_PREFIX = 6;
    private static final Pattern HEX = Pattern.compile("[0-9a-f]+");
    private static final int MAX_CANDIDATES = 5;

    private RunIds() {}

    /** The full id of the one run in {@code store} whose id starts with {@code prefix} (any case). */
    static String resolve(Store store, String prefix) {
        String p = prefix.strip().toLowerCase(Locale.ROOT);
        if (!HEX.matcher(p).matches()) {
            throw new UserInputException("run id '" + prefix + "' is not allowed: a run id is hex digits (0-9, a-f),"
                    + " e.g. the first " + MIN_PREFIX + " or more characters of one from `bench export`");
        }
        if (p.length() < MIN_PREFIX) {
            throw new UserInputException("run id '" + prefix + "' is too short: give at least " + MIN_PREFIX
                    + " characters of it");
        }
        List<String> hits = store.runs().idsStartingWith(p);
        if (hits.isEmpty()) {
            throw new UserInputException("run " + prefix + ": no run in " + store.file() + " has an id starting so;"
                    + " `bench export --db " + store.file() + "` lists the ids");
        }
        if (hits.size() > 1) {
            int width = distinguishing(hits);
            List<String> shown = hits.stream().limit(MAX_CANDIDATES).map(id -> id.substring(0, Math.min(width, id.length()))).toList();
            throw new UserInputException("run " + prefix + " is ambiguous in " + store.file() + ": it starts "
                    + hits.size() + " ids (" + String.join(", ", shown)
                    + (hits.size() > MAX_CANDIDATES ? ", …" : "") + "); give more of the id");
        }
        return hits.get(0);
    }

    /** How many leading characters tell sorted ids apart: one past their longest shared prefix, at least 10. */
    private static int distinguishing(List<String> sorted) {
        int shared = 0;
        for (int i = 1; i < sorted.size(); i++) {
            String a = sorted.get(i - 1);
            String b = sorted.get(i);
            int n = 0;
            while (n < a.length() && n < b.length() && a.charAt(n) == b.charAt(n)) {
                n++;
            }
            shared = Math.max(shared, n);
        }
        return Math.max(shared + 1, 10);
    }
}
