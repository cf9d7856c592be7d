package org.trickbench.core;

/**
 * A mistake the user can fix: a bad argument, a missing or corrupt data file, a malformed genotype.
 * The CLI prints the message alone (no stack trace) and exits 2, so the message must name the
 * offending file or field and say what would be accepted.
 */
public class UserInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserInputException(String message) {
        super(message);
    }

    public UserInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
