"""kafka-python against Sluice, for the Kafka door's interop tests. The broker version is left to
kafka-python's auto-detection (it probes with ApiVersions and infers one from the ranges).

Usage: kafka_python_client.py <bootstrap> produce <topic>   (keys on stdin, one per line)
       kafka_python_client.py <bootstrap> admin <topic>
Prints one JSON object on stdout; exits non-zero on an unexpected failure.
"""
import json
import sys

from kafka import KafkaAdminClient, KafkaProducer
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


if __name__ == "__main__":
    bootstrap, command, topic = sys.argv[1:4]
    {"produce": produce, "admin": admin}[command](bootstrap, topic)
