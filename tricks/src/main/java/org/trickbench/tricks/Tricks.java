package org.trickbench.tricks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.trickbench.core.UserInputException;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.trick.Trick;

/**
 * Tricks by id: the built-ins in a map, then any found through {@link ServiceLoader} (as JMH's
 * {@code ProfilerFactory}), so a user's jar can add one without changing this module.
 */
public final class Tricks {
    private static final Map<String, Trick> BY_ID = new LinkedHashMap<>();

    static {
        register(new LabelSmoothing());
        register(new Cutout());
        register(new Mixup());
        register(new LongerTraining());
        register(new Sgdr());
        register(new Swish());
        register(new Wider());
        register(new Sam());
        register(new GroupNorm());
        register(new GhostBn());
        register(new DropPath());
        register(new AuxTower());
        register(new AutoAugment());
        register(new WarmupWeights());
        register(new WarmupAllPaths());
        register(new HeavyWeightDecay());
        register(new SdartsRs());
        register(new AuxSkip());
        register(new BnAffineOff());
        register(new BnCalibration());
        register(new CacheStem());
        register(new Sequential());
        register(new PriorSpace());
        register(new FewShot());
        register(new PerturbSelect());
        for (Trick t : ServiceLoader.load(Trick.class)) {
            register(t);
        }
    }

    private Tricks() {}

    private static void register(Trick t) {
        BY_ID.putIfAbsent(t.id(), t);
    }

    public static List<Trick> all() {
        return List.copyOf(BY_ID.values());
    }

    public static Trick byId(String id) {
        Trick t = BY_ID.get(id);
        if (t == null) {
            throw new UserInputException("unknown trick '" + id + "'; known: " + String.join(", ", BY_ID.keySet()));
        }
        return t;
    }

    /** The catalogue as a Markdown table, generated from the tricks themselves, for the docs. */
    public static String markdownTable() {
        StringBuilder s = new StringBuilder();
        s.append("| id | phase | families | params (default) | what it does | reference |\n");
        s.append("|---|---|---|---|---|---|\n");
        for (Trick t : BY_ID.values()) {
            String params = t.parameters().isEmpty() ? "—" : t.parameters().stream()
                    .map(Tricks::parameterCell).collect(Collectors.joining(", "));
            s.append("| `").append(t.id()).append("` | ")
                    .append(t.info().phasesText()).append(" | ")
                    .append(t.info().familiesText()).append(" | ")
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
        for (Trick t : BY_ID.values()) {
            for (ParameterSpec p : t.parameters()) {
                s.append("| `").append(t.id()).append("` | `").append(p.name()).append("` | ").append(p.type())
                        .append(" | ").append(cell(p.constraint())).append(" | ").append(cell(p.defaultText()))
                        .append(" | ").append(p.unit().isEmpty() ? "—" : p.unit()).append(" | ")
                        .append(cell(p.help())).append(" |\n");
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
