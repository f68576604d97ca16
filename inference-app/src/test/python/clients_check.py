#!/usr/bin/env python3
"""Reads a model's metadata and infers with KServe's Python SDK and Triton's HTTP client.

Usage: clients_check.py BASE_URL MODEL ROWS_JSON
  BASE_URL   the server, e.g. http://127.0.0.1:8000
  MODEL      the model's name in /v2/models/MODEL
  ROWS_JSON  the rows to send, e.g. '[[63, 1, 3, ...], [37, 1, 2, ...]]': each one is its own
             request of one row ([1, columns]), with each client

Both clients are used as their documentation shows, each row sent twice: with JSON tensors
(binary_data=False), then with the clients' default, binary tensor data (the JSON part, then the
values as little-endian bytes); "results" lists the JSON answers for every row, then the binary
ones. The input's name and datatype come from the metadata each client reads. Prints one JSON
line:

  {"model": ..., "versions": {"kserve": ..., "tritonclient": ...},
   "kserve": {"server_live": ..., "server_ready": ..., "model_ready": ...,
              "metadata": {...}, "results": [{"OUTPUT": [values...], ...} per row]},
   "triton": {the same, plus "server_metadata"}}

and exits 0; on any error, prints what failed on stderr and exits 1.
(hack/python-clients.sh makes the venv with both clients; PythonClientsTest checks the answers.)
"""

import asyncio
import json
import sys
import traceback
from importlib.metadata import version

import httpx
import numpy as np
import tritonclient.http as triton
from kserve import InferenceRESTClient, InferInput, InferRequest, RESTConfig
from kserve.protocol.rest.v2_datamodels import ModelMetadataResponse

NUMPY_TYPES = {"FP32": np.float32, "FP64": np.float64}
TIMEOUT_SECONDS = 30


def fail(message):
    print(f"clients_check.py: {message}", file=sys.stderr)
    sys.exit(1)


def the_input(metadata, rows, who):
    """The model's one input, checked to take rows as wide as those given."""
    inputs = metadata["inputs"]
    if len(inputs) != 1:
        fail(f"{who}: the metadata lists {len(inputs)} inputs, expected one: {metadata}")
    tensor = inputs[0]
    if tensor["datatype"] not in NUMPY_TYPES:
        fail(f"{who}: input datatype {tensor['datatype']} is not FP32 or FP64")
    width = tensor["shape"][-1]
    if any(len(row) != width for row in rows):
        fail(f"{who}: the input has {width} columns but a row given has another length")
    return tensor["name"], tensor["datatype"]


async def with_kserve(base_url, model, rows):
    client = InferenceRESTClient(RESTConfig(protocol="v2", timeout=TIMEOUT_SECONDS, retries=0))
    try:
        live = await client.is_server_live(base_url)
        ready = await client.is_server_ready(base_url)
        model_ready = await client.is_model_ready(base_url, model)
        # The SDK's REST client has no model-metadata call; its data model of the V2 answer
        # (what a KServe server itself returns) is what the metadata must parse as.
        async with httpx.AsyncClient(timeout=TIMEOUT_SECONDS) as http:
            response = await http.get(f"{base_url}/v2/models/{model}")
        response.raise_for_status()
        metadata = ModelMetadataResponse.model_validate_json(response.content).model_dump()
        name, datatype = the_input(metadata, rows, "kserve")
        results = []
        for binary in (False, True):
            for i, row in enumerate(rows):
                infer_input = InferInput(name=name, shape=[1, len(row)], datatype=datatype)
                infer_input.set_data_from_numpy(np.array([row], dtype=NUMPY_TYPES[datatype]), binary_data=binary)
                request = InferRequest(model_name=model, infer_inputs=[infer_input], request_id=f"kserve-{i}")
                answer = await client.infer(base_url, request, model_name=model)
                if answer.model_name != model:
                    fail(f"kserve: the answer names model {answer.model_name!r}, not {model!r}")
                results.append({o.name: o.as_numpy().flatten().tolist() for o in answer.outputs})
        return {"server_live": live, "server_ready": ready, "model_ready": model_ready,
                "metadata": metadata, "results": results}
    finally:
        await client.close()


def with_triton(base_url, model, rows):
    client = triton.InferenceServerClient(url=base_url.split("://", 1)[-1], connection_timeout=TIMEOUT_SECONDS,
                                          network_timeout=TIMEOUT_SECONDS)
    try:
        live = client.is_server_live()
        ready = client.is_server_ready()
        model_ready = client.is_model_ready(model)
        server_metadata = client.get_server_metadata()
        metadata = client.get_model_metadata(model)
        name, datatype = the_input(metadata, rows, "triton")
        results = []
        for binary in (False, True):
            outputs = [triton.InferRequestedOutput(o["name"], binary_data=binary) for o in metadata["outputs"]]
            for i, row in enumerate(rows):
                infer_input = triton.InferInput(name, [1, len(row)], datatype)
                infer_input.set_data_from_numpy(np.array([row], dtype=NUMPY_TYPES[datatype]), binary_data=binary)
                answer = client.infer(model, [infer_input], outputs=outputs, request_id=f"triton-{i}")
                response = answer.get_response()
                if response.get("model_name") != model:
                    fail(f"triton: the answer names model {response.get('model_name')!r}, not {model!r}")
                results.append({o["name"]: answer.as_numpy(o["name"]).flatten().tolist()
                                for o in response["outputs"]})
        return {"server_live": live, "server_ready": ready, "model_ready": model_ready,
                "server_metadata": server_metadata, "metadata": metadata, "results": results}
    finally:
        client.close()


def main():
    if len(sys.argv) != 4:
        fail("usage: clients_check.py BASE_URL MODEL ROWS_JSON")
    base_url, model = sys.argv[1].rstrip("/"), sys.argv[2]
    rows = json.loads(sys.argv[3])
    if not rows or not all(isinstance(r, list) and r for r in rows):
        fail("ROWS_JSON must be a non-empty array of rows")
    out = {"model": model,
           "versions": {"kserve": version("kserve"), "tritonclient": version("tritonclient")}}
    try:
        out["kserve"] = asyncio.run(with_kserve(base_url, model, rows))
    except Exception:  # noqa: BLE001 - the whole story goes to the caller
        fail("KServe's client failed:\n" + traceback.format_exc())
    try:
        out["triton"] = with_triton(base_url, model, rows)
    except Exception:  # noqa: BLE001
        fail("Triton's client failed:\n" + traceback.format_exc())
    print(json.dumps(out))


if __name__ == "__main__":
    main()
