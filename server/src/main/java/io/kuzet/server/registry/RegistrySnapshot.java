package io.kuzet.server.registry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * An immutable, consistent view of agencies, subjects, orders, devices, zones and rules, loaded in one go and
 * swapped atomically by its holder. Lookups are hash-map reads. Thread-safe.
 *
 * <p>The maps read for every journaled message (a device by id, a subject's orders) are keyed by primitive longs, so
 * the evaluation core and the storage writer box no {@code Long} per message; they allocate their iterators afresh,
 * because Agrona's cached ones would be shared between threads.
 */
public final class RegistrySnapshot {
    private final long version;
    private final Map<Long, AgencyRecord> agencies = new HashMap<>();
    private final Map<Long, SubjectRecord> subjects = new HashMap<>();
    private final Long2ObjectHashMap<List<OrderRecord>> ordersBySubject = primitiveKeyed();
    private final Map<Long, OrderRecord> orders = new HashMap<>();
    private final Long2ObjectHashMap<DeviceRecord> devices = primitiveKeyed();
    private final Map<String, Map<Long, DeviceRecord>> devicesByNumber = new HashMap<>();
    private final Map<Long, ZoneRecord> zones = new HashMap<>();
    private final Map<Long, List<RuleRecord>> rulesByOrder = new HashMap<>();
    private final List<DeviceRecord> assigned = new ArrayList<>();

    public RegistrySnapshot(long version, Collection<AgencyRecord> agencies, Collection<SubjectRecord> subjects,
                            Collection<OrderRecord> orders, Collection<DeviceRecord> devices, Collection<ZoneRecord> zones,
                            Collection<RuleRecord> rules) {
        this.version = version;
        agencies.forEach(a -> this.agencies.put(a.id(), a));
        subjects.forEach(s -> this.subjects.put(s.id(), s));
        for (OrderRecord o : orders) {
            this.orders.put(o.id(), o);
            ordersBySubject.computeIfAbsent(o.subjectId(), k -> new ArrayList<>()).add(o);
        }
        for (DeviceRecord d : devices) {
            this.devices.put(d.id(), d);
            devicesByNumber.computeIfAbsent(d.protocol(), k -> new HashMap<>()).put(d.deviceNumber(), d);
            if (d.subjectId() != 0) {
                assigned.add(d);
            }
        }
        zones.forEach(z -> this.zones.put(z.id(), z));
        rules.forEach(r -> rulesByOrder.computeIfAbsent(r.orderId(), k -> new ArrayList<>()).add(r));
    }

    private static <V> Long2ObjectHashMap<V> primitiveKeyed() {
        return new Long2ObjectHashMap<>(8, 0.65f, false);
    }

    public static RegistrySnapshot empty() {
        return new RegistrySnapshot(0, List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
    }

    public long version() {
        return version;
    }

    public DeviceRecord device(long id) {
        return devices.get(id);
    }

    /** The device registered for this protocol and number, or null. */
    public DeviceRecord device(String protocol, long deviceNumber) {
        Map<Long, DeviceRecord> byNumber = devicesByNumber.get(protocol);
        return byNumber == null ? null : byNumber.get(deviceNumber);
    }

    /** The subject's order in force at {@code atMs}, or null. */
    public OrderRecord activeOrder(long subjectId, long atMs) {
        List<OrderRecord> list = ordersBySubject.get(subjectId);
        if (list == null) {
            return null;
        }
        for (int i = 0; i < list.size(); i++) {
            OrderRecord o = list.get(i);
            if (o.activeAt(atMs)) {
                return o;
            }
        }
        return null;
    }

    public OrderRecord order(long id) {
        return orders.get(id);
    }

    public SubjectRecord subject(long id) {
        return subjects.get(id);
    }

    public AgencyRecord agency(long id) {
        return agencies.get(id);
    }

    public ZoneRecord zone(long id) {
        return zones.get(id);
    }

    public List<RuleRecord> rules(long orderId) {
        return rulesByOrder.getOrDefault(orderId, List.of());
    }

    public Collection<DeviceRecord> devices() {
        return Collections.unmodifiableCollection(devices.values());
    }

    public Collection<OrderRecord> orders() {
        return Collections.unmodifiableCollection(orders.values());
    }

    public Collection<SubjectRecord> subjects() {
        return Collections.unmodifiableCollection(subjects.values());
    }

    /** Devices assigned to a subject now. */
    public List<DeviceRecord> assignedDevices() {
        return Collections.unmodifiableList(assigned);
    }
}
