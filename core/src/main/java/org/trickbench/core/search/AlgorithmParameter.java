package org.trickbench.core.search;

/**
 * One parameter an algorithm (or trick) accepts: name as written in matrix files, type, default,
 * and what it means. {@code bench list} prints these; matrix validation checks against them.
 *
 * @param type {@code int}, {@code double}, {@code boolean} or {@code string}
 * @param defaultValue the value a run uses when its matrix does not set one; null for a parameter that is
 *     simply off unless set (an algorithm's {@code seconds} budget) or derived at run time (a trick's size
 *     from the image side), which a run's id then leaves out
 */
public record AlgorithmParameter(String name, String type, Object defaultValue, String description) {}
