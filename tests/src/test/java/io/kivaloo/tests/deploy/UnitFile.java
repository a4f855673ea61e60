package io.kivaloo.tests.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A systemd unit file read as its {@code Key=value} lines, whatever their
 * section, for the checks systemd-analyze cannot make (which unit orders
 * after which, which socket each daemon is given). Comments and blank lines
 * are skipped; a key given twice has both values, as systemd's list settings do.
 */
record UnitFile(Path path, List<String[]> settings) {

    static UnitFile read(Path path) throws IOException {
        List<String[]> settings = new ArrayList<>();
        for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#") || text.startsWith(";") || text.startsWith("[")) {
                continue;
            }
            int equals = text.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException(path + ": not Key=value: " + line);
            }
            settings.add(new String[] {text.substring(0, equals).strip(), text.substring(equals + 1).strip()});
        }
        return new UnitFile(path, settings);
    }

    /** Every value given to {@code key}, in file order. */
    List<String> values(String key) {
        List<String> values = new ArrayList<>();
        for (String[] setting : settings) {
            if (setting[0].equals(key)) {
                values.add(setting[1]);
            }
        }
        return values;
    }

    /** The space-separated words of every value of {@code key} (unit lists such as After=). */
    List<String> words(String key) {
        List<String> words = new ArrayList<>();
        for (String value : values(key)) {
            words.addAll(Arrays.asList(value.split("\\s+")));
        }
        return words;
    }

    /** ExecStart='s words (the units quote nothing in it). */
    List<String> execStart() {
        List<String> starts = values("ExecStart");
        if (starts.size() != 1) {
            throw new IllegalStateException(path + ": expected one ExecStart=, got " + starts.size());
        }
        return Arrays.asList(starts.get(0).split("\\s+"));
    }

    /** The word after the first {@code option} on the ExecStart= line. */
    String optionValue(String option) {
        List<String> words = execStart();
        int at = words.indexOf(option);
        if (at < 0 || at + 1 >= words.size()) {
            throw new IllegalStateException(path + ": ExecStart= has no " + option + " <value>");
        }
        return words.get(at + 1);
    }
}
