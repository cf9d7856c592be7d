package org.trickbench.harness.store;

/** A database failure that is not the user's doing (disk full, locked past the busy timeout). */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
