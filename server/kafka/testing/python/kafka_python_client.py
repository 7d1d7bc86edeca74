"""kafka-python against Sluice, for the Kafka door's interop tests. The broker version is left to
kafka-python's auto-detection (it probes with ApiVersions and infers one from the ranges).

Usage: kafka_python_client.py <bootstrap> produce <topic>   (keys on stdin, one per line)
       kafka_python_client.py <bootstrap> admin <topic>
       kafka_python_client.py <bootstrap> produce_many <topic> <count> <value prefix> [<first index>]
       kafka_python_client.py <bootstrap> consume <topic> <group>   (until stdin closes)
       kafka_python_client.py <bootstrap> groups <topic> <group>
       kafka_python_client.py <bootstrap> delete_group <group>
Prints one JSON object on stdout (consume: one per line, as it goes); exits non-zero on an
unexpected failure.
"""
import json
import sys
import threading

from kafka import ConsumerRebalanceListener, KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import ConfigResource, ConfigResourceType, NewTopic
from kafka.errors import KafkaError

TIMEOUT = 10


def produce(bootstrap, topic):
    keys = [line for line in sys.stdin.read().split("\n") if line]
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", request_timeout_ms=TIMEOUT * 1000)
    futures = [(key, producer.send(topic, key=key.encode(), value=("kafkapython-" + key).encode())) for key in keys]
    producer.flush(TIMEOUT)
    delivered = []
    for key, future in futures:
        md = future.get(timeout=TIMEOUT)
        delivered.append({"key": key, "partition": md.partition, "offset": md.offset})
    api_version = list(producer.config["api_version"])
    producer.close(TIMEOUT)
    print(json.dumps({"delivered": delivered, "api_version": api_version}))


def admin(bootstrap, topic):
    client = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=TIMEOUT * 1000)
    out = {"api_version": list(client.config["api_version"])}
    client.create_topics([NewTopic(topic, num_partitions=4, replication_factor=1)])
    try:
        client.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)])
        out["again"] = "NONE"
    except KafkaError as e:
        out["again"] = type(e).__name__
    try:
        client.create_topics([NewTopic(topic + "-rf3", num_partitions=1, replication_factor=3)])
        out["rf3"] = "NONE"
    except KafkaError as e:
        out["rf3"] = type(e).__name__
    out["topics"] = sorted(client.list_topics())
    described = client.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)])
    entries = {}
    for response in described:
        for resource in response.resources:
            # (error_code, error_message, resource_type, resource_name, config_entries)
            for entry in resource[4]:
                entries[entry[0]] = entry[1]
    out["cleanup.policy"] = entries.get("cleanup.policy")
    client.delete_topics([topic])
    out["after_delete"] = sorted(client.list_topics())
    client.close()
    print(json.dumps(out))


def produce_many(bootstrap, topic, count, prefix, first="0"):
    """key-<i> = <prefix>-<i> for first <= i < first + count, with kafka-python's (murmur2) default partitioner."""
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5, request_timeout_ms=TIMEOUT * 1000)
    futures = [
        producer.send(topic, key=f"key-{i}".encode(), value=f"{prefix}-{i}".encode()) for i in range(int(first), int(first) + int(count))
    ]
    producer.flush(30)
    errors = [str(f.exception) for f in futures if f.failed()]
    delivered = sum(1 for f in futures if f.succeeded())
    producer.close(TIMEOUT)
    print(json.dumps({"delivered": delivered, "errors": errors[:5]}))


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


class Printer(ConsumerRebalanceListener):
    def __init__(self, topic):
        self.topic = topic

    def on_partitions_revoked(self, revoked):
        emit({"revoked": sorted(tp.partition for tp in revoked if tp.topic == self.topic)})

    def on_partitions_assigned(self, assigned):
        emit({"assigned": sorted(tp.partition for tp in assigned if tp.topic == self.topic)})


def consume(bootstrap, topic, group):
    """A group member: prints its assignments and every record, commits after each batch."""
    done = stdin_closed()
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=group,
        client_id="kafka-python-matrix",
        session_timeout_ms=6000,
        heartbeat_interval_ms=300,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        fetch_max_wait_ms=100,
    )
    consumer.subscribe([topic], listener=Printer(topic))
    while not done.is_set():
        polled = consumer.poll(timeout_ms=200, max_records=1000)
        records = [
            [m.partition, m.offset, m.key.decode(), m.value.decode()] for batch in polled.values() for m in batch
        ]
        if records:
            consumer.commit()
            emit({"records": records})
    consumer.close()
    emit({"closed": True})


def groups(bootstrap, topic, group):
    """Admin: a topic created and deleted; groups listed, described, their offsets; an empty one deleted."""
    client = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=TIMEOUT * 1000)
    out = {}
    client.create_topics([NewTopic(topic, num_partitions=2, replication_factor=1)])
    out["created"] = topic in client.list_topics()
    out["groups"] = sorted(client.list_consumer_groups())
    out["described"] = [
        {
            "group": d.group,
            "state": d.state,
            "protocol_type": d.protocol_type,
            "protocol": d.protocol,
            "members": sorted(
                [m.client_id, m.client_host, sorted(m.member_metadata.subscription),
                 sorted(p for _, ps in m.member_assignment.assignment for p in ps)]
                for m in d.members
            ),
        }
        for d in client.describe_consumer_groups([group])
    ]
    offsets = client.list_consumer_group_offsets(group)
    out["offsets"] = sorted([tp.topic, tp.partition, om.offset] for tp, om in offsets.items())
    client.delete_topics([topic])
    out["deleted"] = topic not in client.list_topics()
    print(json.dumps(out))


def delete_group(bootstrap, group):
    client = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=TIMEOUT * 1000)
    result = client.delete_consumer_groups([group])
    print(json.dumps({"deleted": [[g, e.__name__] for g, e in result]}))  # error classes


if __name__ == "__main__":
    bootstrap, command = sys.argv[1:3]
    {
        "produce": produce,
        "admin": admin,
        "produce_many": produce_many,
        "consume": consume,
        "groups": groups,
        "delete_group": delete_group,
    }[command](bootstrap, *sys.argv[3:])
