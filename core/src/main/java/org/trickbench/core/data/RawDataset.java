package org.trickbench.core.data;

import java.util.List;
import java.util.Objects;

/**
 * A data set as loaded from disk: its id ({@code fashion-mnist}, {@code cifar10}, {@code cifar100};
 * see {@link DataSets#ids()}), the train and test images, and one name per class.
 */
public record RawDataset(String id, HostImages train, HostImages test, List<String> classNames) {

    public RawDataset {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("id must not be blank");
        }
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        classNames = List.copyOf(Objects.requireNonNull(classNames, "classNames"));
        // A model is built for one input shape and one output width; a test set that differs
        // from the train set in either would fail deep inside the first evaluation instead.
        if (train.channels() != test.channels()
                || train.height() != test.height()
                || train.width() != test.width()) {
            throw new IllegalArgumentException(id + ": train images are " + shape(train)
                    + " but test images are " + shape(test));
        }
        if (train.classes() != classNames.size() || test.classes() != classNames.size()) {
            throw new IllegalArgumentException(id + ": " + classNames.size() + " class names, but train has "
                    + train.classes() + " classes and test has " + test.classes());
        }
        for (int i = 0; i < classNames.size(); i++) {
            if (classNames.get(i).isBlank()) {
                throw new IllegalArgumentException(id + ": class name " + i + " is blank");
            }
        }
    }

    static String shape(HostImages images) {
        return images.channels() + "x" + images.height() + "x" + images.width();
    }
}
