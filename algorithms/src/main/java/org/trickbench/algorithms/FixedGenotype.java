package org.trickbench.algorithms;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.trickbench.core.UserInputException;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.search.BudgetUse;
import org.trickbench.core.search.Family;
import org.trickbench.core.search.SearchAlgorithm;
import org.trickbench.core.search.SearchContext;
import org.trickbench.core.search.SearchResult;
import org.trickbench.core.space.Architecture;
import org.trickbench.core.space.SearchSpace;
import org.trickbench.core.space.SearchSpaces;
import org.trickbench.core.space.darts.DartsGenotype;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201SearchSpace;

/**
 * A reference row: no search, the given cell trained under the run's protocol. It puts published cells
 * into a matrix beside the searched ones and the random baseline, as Yang et al. (ICLR 2020, arXiv
 * 1912.12522) compare searched cells with hand-designed and published ones. Like the random baseline it
 * has no search, so a matrix row gives it only the tricks that act in the final training.
 *
 * <p>{@code genotype} is a genotype string of the matrix's space or one of the named references. On
 * NAS-Bench-201 ({@link #REFERENCES}):
 * <ul>
 * <li>{@code nb201-best}: the cell with the best CIFAR-10 test accuracy in NAS-Bench-201 (Dong &amp; Yang,
 *     ICLR 2020, arXiv 2001.00326);
 * <li>{@code resnet}: the ResNet-like cell of NAS-Bench-201 (its Table 5 lists ResNet as a cell of the
 *     space): a 3×3 convolution pair on one path and a skip connection;
 * <li>{@code darts-collapse}: the cell of skip connections on every edge that DARTS converges to on
 *     NAS-Bench-201 (Dong &amp; Yang 2020, §6; Zela et al., ICLR 2020, arXiv 1909.09656).
 * </ul>
 * On the DARTS space ({@link #DARTS_REFERENCES}), the published cells: {@code darts-v1}, {@code darts-v2}
 * (the DARTS paper's), {@code pdarts}, {@code pc-darts} (PC-DARTS's CIFAR-10 cell) and
 * {@code pc-darts-imagenet} ({@link DartsGenotype#published()}).
 */
public final class FixedGenotype implements SearchAlgorithm {
    public static final String ID = "fixed";

    /** The named NAS-Bench-201 references, by name. */
    public static final Map<String, String> REFERENCES;

    /** The named DARTS references, by name: the published cells of the space. */
    public static final Map<String, DartsGenotype> DARTS_REFERENCES;

    static {
        Map<String, String> refs = new LinkedHashMap<>();
        refs.put("nb201-best",
                "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|");
        refs.put("resnet", "|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|none~2|");
        refs.put("darts-collapse",
                "|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|");
        REFERENCES = java.util.Collections.unmodifiableMap(refs);
        Map<String, DartsGenotype> darts = new LinkedHashMap<>();
        darts.put("darts-v1", DartsGenotype.DARTS_V1);
        darts.put("darts-v2", DartsGenotype.DARTS_V2);
        darts.put("pdarts", DartsGenotype.PDARTS);
        darts.put("pc-darts", DartsGenotype.PC_DARTS_CIFAR);
        darts.put("pc-darts-imagenet", DartsGenotype.PC_DARTS_IMAGENET);
        DARTS_REFERENCES = java.util.Collections.unmodifiableMap(darts);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Family family() {
        return Family.BLACK_BOX;
    }

    @Override
    public String reference() {
        return "Yang, Esperança & Carlucci, NAS evaluation is frustratingly hard, ICLR 2020 (arXiv 1912.12522);"
                + " Dong & Yang, NAS-Bench-201, ICLR 2020 (arXiv 2001.00326)";
    }

    @Override
    public String description() {
        return "no search: trains the given cell (param genotype: a genotype string or "
                + String.join(", ", REFERENCES.keySet()) + " on nb201, " + String.join(", ", DARTS_REFERENCES.keySet())
                + " on darts) as a reference row";
    }

    @Override
    public boolean searches() {
        return false;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(ParameterSpec.string("genotype", null,
                "the cell to train: a genotype string of the matrix's space, or a named reference ("
                        + String.join(", ", REFERENCES.keySet()) + " on nb201; "
                        + String.join(", ", DARTS_REFERENCES.keySet()) + " on darts)"), TimeBudget.parameter());
    }

    /** Checked as a NAS-Bench-201 cell. */
    @Override
    public void validate(AlgorithmSetting setting) {
        validate(setting, Nb201SearchSpace.full());
    }

    @Override
    public void validate(AlgorithmSetting setting, SearchSpace space) {
        resolve(setting);
        architecture(setting, space);
    }

    /** The NAS-Bench-201 cell a setting names, resolving a reference's name. */
    public static Genotype genotype(AlgorithmSetting setting) {
        return Genotype.from(architecture(setting, Nb201SearchSpace.full()));
    }

    /**
     * The cell of {@code space} a setting names, resolving a reference's name.
     *
     * @throws UserInputException when it is missing, names a reference of another space or is not a genotype
     *     string of {@code space}, naming the space and what is allowed
     */
    public static Architecture architecture(AlgorithmSetting setting, SearchSpace space) {
        boolean darts = space.id().equals(SearchSpaces.DARTS);
        List<String> names = List.copyOf((darts ? DARTS_REFERENCES : REFERENCES).keySet());
        String example = darts ? "Genotype(normal=[...], normal_concat=range(2, 6), reduce=[...], reduce_concat=range(2, 6))"
                : "|nor_conv_3x3~0|+|…|";
        Object value = setting.params().get("genotype");
        if (!(value instanceof String text) || text.isBlank()) {
            throw new UserInputException("algorithm 'fixed' needs parameter 'genotype': a genotype string of space "
                    + space.id() + " such as " + example + ", or a named reference (" + String.join(", ", names)
                    + "), e.g. {id: fixed, params: {genotype: " + names.get(0) + "}}");
        }
        String name = text.strip();
        if (darts && DARTS_REFERENCES.containsKey(name)) {
            return DARTS_REFERENCES.get(name);
        }
        if (!darts && REFERENCES.containsKey(name)) {
            return space.parse(REFERENCES.get(name));
        }
        boolean otherReference = darts ? REFERENCES.containsKey(name) : DARTS_REFERENCES.containsKey(name);
        if (otherReference) {
            throw new UserInputException("algorithm 'fixed': genotype '" + name + "' is a reference of space "
                    + (darts ? SearchSpaces.NB201 : SearchSpaces.DARTS) + ", but the matrix's space is " + space.id()
                    + "; its references: " + String.join(", ", names));
        }
        if (!name.startsWith(darts ? "Genotype" : "|")) {
            throw new UserInputException("algorithm 'fixed': genotype '" + text + "' is neither a genotype string of space "
                    + space.id() + " (" + example + ") nor a named reference; known references: " + String.join(", ", names));
        }
        try {
            return space.parse(name);
        } catch (UserInputException e) {
            throw new UserInputException("algorithm 'fixed': " + e.getMessage());
        }
    }

    /** The given cell, at no search cost. */
    @Override
    public SearchResult search(SearchContext context) {
        return new SearchResult(architecture(context.spec().algorithm(), context.searchSpace()), Double.NaN, 0, 0,
                List.of(), new BudgetUse(0, 0, BudgetUse.Stop.COMPLETE), List.of());
    }
}
