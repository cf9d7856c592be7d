package org.trickbench.core.search;

/**
 * One parameter an algorithm (or trick) accepts: name as written in matrix files, type, default,
 * and what it means. {@code bench list} prints these; matrix validation checks against them.
 *
 * @param type {@code int}, {@code double}, {@code boolean} or {@code string}
 */
public record AlgorithmParameter(String name, String type, Object defaultValue, String description) {}
