package org.trickbench.core.search;

import java.util.List;
import org.trickbench.core.param.ParameterSpec;

/**
 * What the catalogue says about one search algorithm, as {@code bench list algorithms} prints it.
 *
 * @param summary one line on what the algorithm does
 * @param reference the paper the implementation follows
 * @param searches false for an algorithm that only trains the cell it picks
 */
public record AlgorithmInfo(String id, Family family, String summary, String reference, boolean searches,
        List<ParameterSpec> parameters) {
    public AlgorithmInfo {
        parameters = List.copyOf(parameters);
    }
}
