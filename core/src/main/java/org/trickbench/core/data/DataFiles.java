package org.trickbench.core.data;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.trickbench.core.UserInputException;

/** File checks shared by the loaders and {@link DataLocator}, so they all word problems alike. */
final class DataFiles {
    private DataFiles() {}

    /** The names in {@code names} that are not regular files in {@code dir}, in that order. */
    static List<String> missing(Path dir, List<String> names) {
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            if (!Files.isRegularFile(dir.resolve(name))) {
                missing.add(name);
            }
        }
        return missing;
    }

    /** An I/O failure that is not about the file's format, as a one-line user error naming the file. */
    static UserInputException unreadable(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new UserInputException(file + ": file not found", e);
        }
        if (e instanceof AccessDeniedException) {
            return new UserInputException(file + ": permission denied", e);
        }
        return new UserInputException(file + ": cannot read (" + e + ")", e);
    }
}
