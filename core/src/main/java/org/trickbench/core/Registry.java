package org.trickbench.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * Entries (tricks, search algorithms) by id, as {@link ServiceLoader} finds them: the built-ins through
 * their module's {@code META-INF/services} file, a user's jar through its own, so adding one changes no
 * code here. Two entries with one id are an error naming both classes rather than one silently
 * shadowing the other: a run would otherwise record the id of a trick it did not apply.
 *
 * @param <T> the kind of entry
 */
public final class Registry<T> {
    private final String kind;
    private final Map<String, T> byId;

    private Registry(String kind, Map<String, T> byId) {
        this.kind = kind;
        this.byId = byId;
    }

    /**
     * Every provider of {@code type} on the class path, in the order {@link ServiceLoader} finds them.
     *
     * @param kind how messages name an entry, e.g. {@code trick}
     * @throws UserInputException when two providers declare one id
     */
    public static <T> Registry<T> load(Class<T> type, String kind, Function<T, String> id) {
        return of(kind, ServiceLoader.load(type), id);
    }

    /**
     * The given entries, in order.
     *
     * @throws UserInputException when two entries declare one id, naming both classes
     */
    public static <T> Registry<T> of(String kind, Iterable<T> entries, Function<T, String> id) {
        Map<String, T> byId = new LinkedHashMap<>();
        for (T entry : entries) {
            T earlier = byId.putIfAbsent(id.apply(entry), entry);
            if (earlier != null) {
                throw new UserInputException(kind + " id '" + id.apply(entry) + "' is declared by both "
                        + earlier.getClass().getName() + " and " + entry.getClass().getName()
                        + "; remove one of them from the class path or rename its id");
            }
        }
        return new Registry<>(kind, byId);
    }

    public List<T> all() {
        return List.copyOf(byId.values());
    }

    /**
     * The entry with this id.
     *
     * @throws UserInputException naming the id and the known ones
     */
    public T byId(String id) {
        T entry = byId.get(id);
        if (entry == null) {
            throw new UserInputException("unknown " + kind + " '" + id + "'; known: " + String.join(", ", byId.keySet()));
        }
        return entry;
    }
}
