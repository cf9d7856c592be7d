#!/usr/bin/env python3
"""Where a bench process's main thread spent its time, from a Java Flight Recorder recording.

Reads `jfr print --json --events jdk.ExecutionSample,jdk.NativeMethodSample REC` on stdin, for a
recording made with JFR's `profile` settings (`-XX:StartFlightRecording=settings=profile,...`). Those
sample a thread running Java code (ExecutionSample) every 10 ms and a thread inside a native method
(NativeMethodSample) every 20 ms (the JDK's lib/jfr/profile.jfc); each sample is weighted by its period,
so the shares are of sampled time. Native samples are split by the native
method on top of the stack: libtorch calls through DJL's JNI class PyTorchLibrary, anything else.
Java samples are split by the top frame's package: TrickBench, DJL, the JDK, other.
"""
import collections
import json
import sys

THREAD = sys.argv[1] if len(sys.argv) > 1 else "main"
JAVA_MS = 10.0
NATIVE_MS = 20.0


def main():
    events = json.load(sys.stdin)["recording"]["events"]
    weights = {"jdk.ExecutionSample": JAVA_MS, "jdk.NativeMethodSample": NATIVE_MS}
    samples = [e for e in events if e["type"] in weights]
    groups = collections.Counter()
    methods = collections.Counter()
    for e in samples:
        v = e["values"]
        if (v.get("sampledThread") or {}).get("javaName") != THREAD:
            continue
        frames = (v.get("stackTrace") or {}).get("frames") or []
        if not frames:
            continue
        method = frames[0]["method"]
        cls = method["type"]["name"].replace("/", ".")
        name = cls + "." + method["name"]
        w = weights[e["type"]]
        if e["type"] == "jdk.NativeMethodSample":
            group = "native: libtorch through DJL's JNI" if cls.endswith("pytorch.jni.PyTorchLibrary") \
                else "native: other"
        elif cls.startswith("org.trickbench."):
            group = "Java: TrickBench"
        elif cls.startswith("ai.djl."):
            group = "Java: DJL"
        elif cls.startswith(("java.", "jdk.", "sun.")):
            group = "Java: JDK"
        else:
            group = "Java: other"
        groups[group] += w
        methods[name] += w
    total = sum(groups.values())
    if total == 0:
        sys.exit("no samples of thread '%s' in the recording" % THREAD)
    print("sampled time of thread '%s': %.1f s (Java samples weighted %g ms, native %g ms)"
          % (THREAD, total / 1000, JAVA_MS, NATIVE_MS))
    for group, ms in groups.most_common():
        print("  %-40s %6.2f%%" % (group, 100 * ms / total))
    print("heaviest methods on top of the stack:")
    for name, ms in methods.most_common(12):
        print("  %-70s %6.2f%%" % (name, 100 * ms / total))


if __name__ == "__main__":
    main()
