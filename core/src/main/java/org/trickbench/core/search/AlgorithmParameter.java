package org.trickbench.core.search;

/**
 * One parameter an algorithm (or trick) accepts: name as written in matrix files, type, default,
 * and what it means. {@code bench list} prints these; matrix validation checks against them.
 *
 * @param type {@code int}, {@code double}, {@code boolean} or {@code string}
 * @param defaultValue the value a run uses when its matrix does not set one, written into the run's id; null
 *     only for an algorithm's parameter that is off unless set (the {@code seconds} budget) or that must be set
 *     ({@code fixed}'s genotype), which a run's id then leaves out unless set. Every trick parameter has a
 *     default: a value that stands for one derived at run time is still a value (cutout's {@code size} 0,
 *     "half the image side", is in the id as 0)
 */
public record AlgorithmParameter(String name, String type, Object defaultValue, String description) {}
