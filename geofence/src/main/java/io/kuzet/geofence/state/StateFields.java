package io.kuzet.geofence.state;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ObjLongConsumer;
import java.util.function.ToLongFunction;

/**
 * The named fields of a piece of mutable state, each read and written as a {@code long} (booleans as 0/1, enums by a
 * stable code, doubles by their bits). A snapshot stores the names once and the values per object; loading maps the
 * stored names onto the current fields, so a field added later keeps its initial value when an older snapshot is
 * loaded and a field removed later is skipped. Adding a field to a state class is one {@link #field} line beside its
 * declaration. Immutable once built; thread-safe.
 */
public final class StateFields<T> {
    private final List<String> names = new ArrayList<>();
    private final List<ToLongFunction<T>> getters = new ArrayList<>();
    private final List<ObjLongConsumer<T>> setters = new ArrayList<>();

    /** Adds a field; the name must stay stable across versions (it is the key in stored snapshots). */
    public StateFields<T> field(String name, ToLongFunction<T> get, ObjLongConsumer<T> set) {
        if (names.contains(name)) {
            throw new IllegalArgumentException("state field '" + name + "' declared twice");
        }
        names.add(name);
        getters.add(get);
        setters.add(set);
        return this;
    }

    /** Adds every field of a part of this state, named {@code prefix.field}. */
    public <U> StateFields<T> part(String prefix, StateFields<U> fields, Function<T, U> part) {
        for (int i = 0; i < fields.size(); i++) {
            ToLongFunction<U> get = fields.getters.get(i);
            ObjLongConsumer<U> set = fields.setters.get(i);
            field(prefix + "." + fields.names.get(i), t -> get.applyAsLong(part.apply(t)), (t, v) -> set.accept(part.apply(t), v));
        }
        return this;
    }

    public int size() {
        return names.size();
    }

    public String[] names() {
        return names.toArray(new String[0]);
    }

    /** Writes the current values of {@code state} into {@code out} (length at least {@link #size()}). */
    public void save(T state, long[] out) {
        for (int i = 0; i < getters.size(); i++) {
            out[i] = getters.get(i).applyAsLong(state);
        }
    }

    /** For stored field names, the index of each in this schema, or -1 for a field this version no longer has. */
    public int[] mapping(String[] storedNames) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            index.put(names.get(i), i);
        }
        int[] mapping = new int[storedNames.length];
        for (int i = 0; i < storedNames.length; i++) {
            mapping[i] = index.getOrDefault(storedNames[i], -1);
        }
        return mapping;
    }

    /** Loads values stored under the schema that {@code mapping} was made for; fields not stored keep their value. */
    public void load(T state, int[] mapping, long[] stored) {
        for (int i = 0; i < mapping.length; i++) {
            if (mapping[i] >= 0) {
                setters.get(mapping[i]).accept(state, stored[i]);
            }
        }
    }
}
