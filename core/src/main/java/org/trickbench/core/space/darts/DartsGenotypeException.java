package org.trickbench.core.space.darts;

import org.trickbench.core.UserInputException;

/**
 * A DARTS genotype that cannot be read or is outside the space: a malformed string, an unknown op, an
 * input index a node may not take. The message names where (a character offset into the string, or the
 * cell, node and edge) and what is allowed there; {@link #offset()} gives the character offset when the
 * genotype came from a string.
 */
public class DartsGenotypeException extends UserInputException {
    private static final long serialVersionUID = 1L;

    private final int offset;

    DartsGenotypeException(String message, int offset) {
        super(message);
        this.offset = offset;
    }

    /** The 0-based character offset of the problem in the parsed string, or -1 when not parsing. */
    public int offset() {
        return offset;
    }
}
