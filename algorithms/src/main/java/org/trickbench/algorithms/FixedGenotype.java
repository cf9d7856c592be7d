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
import org.trickbench.core.space.nb201.Genotype;

/**
 * A reference row: no search, the given cell trained under the run's protocol. It puts published cells
 * into a matrix beside the searched ones and the random baseline, as Yang et al. (ICLR 2020, arXiv
 * 1912.12522) compare searched cells with hand-designed and published ones. Like the random baseline it
 * has no search, so a matrix row gives it only the tricks that act in the final training.
 *
 * <p>{@code genotype} is a NAS-Bench-201 genotype string or one of the named references:
 * <ul>
 * <li>{@code nb201-best}: the cell with the best CIFAR-10 test accuracy in NAS-Bench-201 (Dong &amp; Yang,
 *     ICLR 2020, arXiv 2001.00326);
 * <li>{@code resnet}: the ResNet-like cell of NAS-Bench-201 (its Table 5 lists ResNet as a cell of the
 *     space): a 3×3 convolution pair on one path and a skip connection;
 * <li>{@code darts-collapse}: the cell of skip connections on every edge that DARTS converges to on
 *     NAS-Bench-201 (Dong &amp; Yang 2020, §6; Zela et al., ICLR 2020, arXiv 1909.09656).
 * </ul>
 */
public final class FixedGenotype implements SearchAlgorithm {
    public static final String ID = "fixed";

    /** The named references, by name. */
    public static final Map<String, String> REFERENCES;

    static {
        Map<String, String> refs = new LinkedHashMap<>();
        refs.put("nb201-best",
                "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|");
        refs.put("resnet", "|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|none~2|");
        refs.put("darts-collapse",
                "|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|");
        REFERENCES = java.util.Collections.unmodifiableMap(refs);
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
                + String.join(", ", REFERENCES.keySet()) + ") as a reference row";
    }

    @Override
    public boolean searches() {
        return false;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(ParameterSpec.string("genotype", null,
                "the cell to train: a NAS-Bench-201 genotype string, or a named reference ("
                        + String.join(", ", REFERENCES.keySet()) + ")"), TimeBudget.parameter());
    }

    @Override
    public void validate(AlgorithmSetting setting) {
        resolve(setting);
        genotype(setting);
    }

    /** The cell a setting names, resolving a reference's name. */
    public static Genotype genotype(AlgorithmSetting setting) {
        Object value = setting.params().get("genotype");
        if (!(value instanceof String text) || text.isBlank()) {
            throw new UserInputException("algorithm 'fixed' needs parameter 'genotype': a NAS-Bench-201 genotype string"
                    + " such as |nor_conv_3x3~0|+|…|, or a named reference (" + String.join(", ", REFERENCES.keySet())
                    + "), e.g. {id: fixed, params: {genotype: nb201-best}}");
        }
        String resolved = REFERENCES.get(text.strip());
        if (resolved == null && !text.strip().startsWith("|")) {
            throw new UserInputException("algorithm 'fixed': genotype '" + text + "' is neither a genotype string nor a"
                    + " named reference; known references: " + String.join(", ", REFERENCES.keySet()));
        }
        try {
            return Genotype.parse(resolved != null ? resolved : text);
        } catch (UserInputException e) {
            throw new UserInputException("algorithm 'fixed': " + e.getMessage());
        }
    }

    /** The given cell, at no search cost. */
    @Override
    public SearchResult search(SearchContext context) {
        return new SearchResult(genotype(context.spec().algorithm()), Double.NaN, 0, 0, List.of(),
                new BudgetUse(0, 0, BudgetUse.Stop.COMPLETE), List.of());
    }
}
