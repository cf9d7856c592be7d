package org.trickbench.harness.matrix;

import org.trickbench.core.UserInputException;
import org.trickbench.core.train.Fidelity;

/**
 * A fidelity as written in a matrix file. Every field is required; boxed so that a missing one gets a
 * message naming it rather than a parser complaint about nulls.
 */
public record FidelitySpec(Integer channels, Integer cells, Integer epochs, Integer trainSubset, Integer resolution) {

    public Fidelity toFidelity(String section) {
        return new Fidelity(required(section, "channels", channels), required(section, "cells", cells),
                required(section, "epochs", epochs), required(section, "train-subset", trainSubset),
                required(section, "resolution", resolution));
    }

    private static int required(String section, String field, Integer value) {
        if (value == null) {
            throw new UserInputException(section + "." + field + " is required (" + section
                    + " needs channels, cells, epochs, train-subset (0 = all) and resolution (0 = native))");
        }
        return value;
    }
}
