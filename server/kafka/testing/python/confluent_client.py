"""confluent-kafka (librdkafka) against Sluice, for the Kafka door's interop tests.

Usage: confluent_client.py <bootstrap> produce <topic>   (keys on stdin, one per line)
       confluent_client.py <bootstrap> admin <topic>
       confluent_client.py <bootstrap> produce_many <topic> <count> <value prefix> [<first index>]
       confluent_client.py <bootstrap> consume <topic> <group>   (until stdin closes)
       confluent_client.py <bootstrap> groups <topic> <group>
Prints one JSON object on stdout (consume: one per line, as it goes); exits non-zero on an
unexpected failure.
"""
import json
import sys
import threading

from confluent_kafka import Consumer, KafkaError, KafkaException, Producer
from confluent_kafka.admin import AdminClient, ConfigResource, NewTopic

TIMEOUT = 10


def produce(bootstrap, topic):
    keys = [line for line in sys.stdin.read().split("\n") if line]
    producer = Producer(
        {
            "bootstrap.servers": bootstrap,
            "enable.idempotence": True,
            # librdkafka's default is consistent_random (CRC32); this one is Java's murmur2.
            "partitioner": "murmur2_random",
            "linger.ms": 5,
        }
    )
    delivered, errors = [], []

    def on_delivery(err, msg):
        if err is not None:
            errors.append(str(err))
        else:
            delivered.append({"key": msg.key().decode(), "partition": msg.partition(), "offset": msg.offset()})

    for key in keys:
        producer.produce(topic, key=key.encode(), value=("confluent-" + key).encode(), on_delivery=on_delivery)
    remaining = producer.flush(TIMEOUT)
    print(json.dumps({"delivered": delivered, "errors": errors, "remaining": remaining}))


def error_name(future):
    try:
        future.result(timeout=TIMEOUT)
        return "NONE"
    except KafkaException as e:
        return e.args[0].name()


def admin(bootstrap, topic):
    client = AdminClient({"bootstrap.servers": bootstrap})
    out = {}
    created = client.create_topics(
        [
            NewTopic(topic, num_partitions=3, replication_factor=1, config={"retention.ms": "3600000"}),
            NewTopic(topic + "-rf3", num_partitions=1, replication_factor=3),
            NewTopic("bad name", num_partitions=1, replication_factor=1),
            NewTopic(topic + "-cfg", num_partitions=1, replication_factor=1, config={"retention.ms": "soon"}),
        ],
        operation_timeout=TIMEOUT,
    )
    out["create"] = {name: error_name(f) for name, f in created.items()}
    out["again"] = error_name(client.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)])[topic])
    out["partitions"] = len(client.list_topics(timeout=TIMEOUT).topics[topic].partitions)
    for _, f in client.describe_configs([ConfigResource("topic", topic)]).items():
        entry = f.result(timeout=TIMEOUT)["retention.ms"]
        out["retention"] = {
            "value": entry.value,
            "source": int(entry.source),
            "synonyms": [s.name for s in entry.synonyms.values()],
        }
    missing = client.describe_configs([ConfigResource("topic", topic + "-missing")])
    out["describe_missing"] = [error_name(f) for f in missing.values()]
    deleted = client.delete_topics([topic, topic + "-missing"], operation_timeout=TIMEOUT)
    out["delete"] = {name: error_name(f) for name, f in deleted.items()}
    out["topics"] = sorted(client.list_topics(timeout=TIMEOUT).topics)
    print(json.dumps(out))


def produce_many(bootstrap, topic, count, prefix, first="0"):
    """key-<i> = <prefix>-<i> for first <= i < first + count, idempotent, with Java's murmur2 partitioner."""
    producer = Producer(
        {
            "bootstrap.servers": bootstrap,
            "enable.idempotence": True,
            "partitioner": "murmur2_random",
            "linger.ms": 5,
        }
    )
    delivered, errors = [0], []

    def on_delivery(err, msg):
        if err is not None:
            errors.append(str(err))
        else:
            delivered[0] += 1

    for i in range(int(first), int(first) + int(count)):
        while True:
            try:
                producer.produce(topic, key=f"key-{i}".encode(), value=f"{prefix}-{i}".encode(), on_delivery=on_delivery)
                break
            except BufferError:
                producer.poll(0.05)
    remaining = producer.flush(30)
    print(json.dumps({"delivered": delivered[0], "errors": errors[:5], "remaining": remaining}))


def emit(obj):
    print(json.dumps(obj), flush=True)


def stdin_closed():
    """An event set when stdin reaches EOF: the test's way to ask for a clean close."""
    done = threading.Event()

    def wait():
        sys.stdin.read()
        done.set()

    threading.Thread(target=wait, daemon=True).start()
    return done


def consume(bootstrap, topic, group):
    """A group member: prints its assignments and every record, commits after each batch."""
    done = stdin_closed()
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": group,
            "client.id": "confluent-matrix",
            "session.timeout.ms": 6000,
            "heartbeat.interval.ms": 300,
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
            "partition.assignment.strategy": "range",
        }
    )

    def on_assign(_consumer, partitions):
        emit({"assigned": sorted(p.partition for p in partitions if p.topic == topic)})

    def on_revoke(_consumer, partitions):
        emit({"revoked": sorted(p.partition for p in partitions if p.topic == topic)})

    consumer.subscribe([topic], on_assign=on_assign, on_revoke=on_revoke)
    while not done.is_set():
        batch = consumer.consume(num_messages=500, timeout=0.2)
        records = []
        for msg in batch:
            if msg.error() is not None:
                if msg.error().code() != KafkaError._PARTITION_EOF:
                    emit({"error": str(msg.error())})
                continue
            records.append([msg.partition(), msg.offset(), msg.key().decode(), msg.value().decode()])
        if records:
            consumer.commit(asynchronous=False)
            emit({"records": records})
    consumer.close()
    emit({"closed": True})


def groups(bootstrap, topic, group):
    """Admin: a topic created and deleted; the group listed and described (ListGroups + DescribeGroups)."""
    client = AdminClient({"bootstrap.servers": bootstrap})
    out = {}
    created = client.create_topics([NewTopic(topic, num_partitions=2, replication_factor=1)], operation_timeout=TIMEOUT)
    out["create"] = error_name(created[topic])
    out["listed"] = topic in client.list_topics(timeout=TIMEOUT).topics
    listed = client.list_groups(timeout=TIMEOUT)
    out["groups"] = sorted(g.id for g in listed)
    described = client.list_groups(group, timeout=TIMEOUT)
    out["described"] = [
        {
            "id": g.id,
            "error": None if g.error is None else g.error.name(),
            "state": g.state,
            "protocol_type": g.protocol_type,
            "protocol": g.protocol,
            "members": sorted([m.client_id, m.client_host, len(m.metadata) > 0, len(m.assignment) > 0] for m in g.members),
        }
        for g in described
    ]
    deleted = client.delete_topics([topic], operation_timeout=TIMEOUT)
    out["delete"] = error_name(deleted[topic])
    print(json.dumps(out))


if __name__ == "__main__":
    bootstrap, command = sys.argv[1:3]
    {
        "produce": produce,
        "admin": admin,
        "produce_many": produce_many,
        "consume": consume,
        "groups": groups,
    }[command](bootstrap, *sys.argv[3:])
