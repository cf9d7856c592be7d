package org.trickbench.harness.matrix;

import org.trickbench.core.UserInputException;
import org.trickbench.core.train.Fidelity;

/**
 * A fidelity as written in a matrix file. Every field is required; boxed so that a missing one gets a
 * message naming it rather than a parser complaint about nulls.
 */
public record FidelitySpec(Integer channels, Integer cells, Integer epochs, Integer trainSubset, Integer resolution) {

    public Fidelity toFidelity(String section) {
        int c = required(section, "channels", channels);
        int k = required(section, "cells", cells);
        int e = required(section, "epochs", epochs);
        int t = required(section, "train-subset", trainSubset);
        int r = required(section, "resolution", resolution);
        try {
            return new Fidelity(c, k, e, t, r);
        } catch (UserInputException invalid) {
            // Named by its section, so that the matrix error points at the section's line.
            throw new UserInputException(section + ": " + invalid.getMessage());
        }
    }

    private static int required(String section, String field, Integer value) {
        if (value == null) {
            throw new UserInputException(section + "." + field + " is required (" + section
                    + " needs channels, cells, epochs, train-subset (0 = all) and resolution (0 = native))");
        }
        return value;
    }
}
