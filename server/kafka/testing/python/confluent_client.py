"""confluent-kafka (librdkafka) against Sluice, for the Kafka door's interop tests.

Usage: confluent_client.py <bootstrap> produce <topic>   (keys on stdin, one per line)
       confluent_client.py <bootstrap> admin <topic>
Prints one JSON object on stdout; exits non-zero on an unexpected failure.
"""
import json
import sys

from confluent_kafka import KafkaException, Producer
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


if __name__ == "__main__":
    bootstrap, command, topic = sys.argv[1:4]
    {"produce": produce, "admin": admin}[command](bootstrap, topic)
