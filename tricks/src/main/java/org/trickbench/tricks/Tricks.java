package org.trickbench.tricks;

import java.util.List;
import java.util.stream.Collectors;
import org.trickbench.core.Registry;
import org.trickbench.core.UserInputException;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.space.SpaceId;
import org.trickbench.core.trick.Trick;

/**
 * Tricks by id: the built-ins listed in this module's {@code META-INF/services/org.trickbench.core.trick.Trick},
 * then any a user's jar lists in its own (as JMH's {@code ProfilerFactory}), so adding one changes no code
 * here. An id declared twice is an error naming both classes, raised on first use so {@code bench} exits 2
 * with it.
 */
public final class Tricks {
    private static Registry<Trick> registry;

    private Tricks() {}

    /** Loaded on first use rather than in a static initialiser, whose failure would surface as an Error. */
    private static synchronized Registry<Trick> registry() {
        if (registry == null) {
            registry = Registry.load(Trick.class, "trick", Trick::id);
        }
        return registry;
    }

    public static List<Trick> all() {
        return registry().all();
    }

    /**
     * The trick with this id.
     *
     * @throws UserInputException naming the id and the known ones
     */
    public static Trick byId(String id) {
        return registry().byId(id);
    }

    /** The catalogue as a Markdown table, generated from the tricks themselves, for the docs. */
    public static String markdownTable() {
        StringBuilder s = new StringBuilder();
        s.append("| id | phase | families | spaces | params (default) | what it does | reference |\n");
        s.append("|---|---|---|---|---|---|---|\n");
        for (Trick t : all()) {
            String params = t.parameters().isEmpty() ? "—" : t.parameters().stream()
                    .map(Tricks::parameterCell).collect(Collectors.joining(", "));
            s.append("| `").append(t.id()).append("` | ")
                    .append(t.info().phasesText()).append(" | ")
                    .append(t.info().familiesText()).append(" | ")
                    .append(t.info().spacesText()).append(" | ")
                    .append(params).append(" | ")
                    .append(cell(t.description())).append(" | ")
                    .append(cell(t.reference())).append(" |\n");
        }
        return s.toString();
    }

    /**
     * Every trick parameter as a Markdown table row, generated from the tricks' {@link ParameterSpec}s: the
     * type, range, default and unit a run enforces.
     */
    public static String markdownParameters() {
        StringBuilder s = new StringBuilder();
        s.append("| trick | parameter | type | allowed | default | unit | meaning |\n");
        s.append("|---|---|---|---|---|---|---|\n");
        for (Trick t : all()) {
            for (ParameterSpec p : t.parameters()) {
                s.append("| `").append(t.id()).append("` | `").append(p.name()).append("` | ").append(p.type())
                        .append(" | ").append(cell(p.constraint())).append(" | ").append(cell(p.defaultText()))
                        .append(" | ").append(p.unit().isEmpty() ? "—" : p.unit()).append(" | ")
                        .append(cell(p.help())).append(" |\n");
            }
        }
        return s.toString();
    }

    /**
     * Why each trick that leaves a space out does so, as a Markdown list generated from the tricks'
     * {@link Trick#spacesNote()}, for the docs.
     */
    public static String markdownSpaceNotes() {
        StringBuilder s = new StringBuilder();
        for (Trick t : all()) {
            if (!t.spaces().equals(SpaceId.ALL)) {
                s.append("- `").append(t.id()).append("` (").append(t.info().spacesText()).append(" only): ")
                        .append(t.spacesNote()).append(".\n");
            }
        }
        return s.toString();
    }

    private static String parameterCell(ParameterSpec p) {
        return "`" + p.name() + "` (" + p.defaultText() + ")";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
