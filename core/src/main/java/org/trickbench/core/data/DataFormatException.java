package org.trickbench.core.data;

import java.nio.file.Path;
import java.util.Objects;
import org.trickbench.core.UserInputException;

/**
 * A data file that exists but cannot be what it claims to be: wrong magic number, truncated,
 * trailing bytes, not gzip, a label out of range. The message is {@code FILE: PROBLEM}, so the
 * one line the CLI prints tells the user which file to re-download and why.
 */
public class DataFormatException extends UserInputException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String problem;

    public DataFormatException(Path file, String problem) {
        this(file, problem, null);
    }

    public DataFormatException(Path file, String problem, Throwable cause) {
        super(Objects.requireNonNull(file, "file") + ": " + Objects.requireNonNull(problem, "problem"), cause);
        this.file = file;
        this.problem = problem;
    }

    /** The file at fault. */
    public Path file() {
        return file;
    }

    /** What is wrong with it, without the file name. */
    public String problem() {
        return problem;
    }
}
