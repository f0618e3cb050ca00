#!/usr/bin/python3
"""Writes the ONNX fixtures of the import tests, with Debian's python3-torch (1.13) and python3-onnx (1.12).

Run from anywhere: /usr/bin/python3 make_fixtures.py [--out DIR]. Every file is deterministic for the seeds below.
torch.onnx.export writes the Gemm form (Linear -> Gemm with transB = 1); onnx.helper writes the variants exporters
also produce (MatMul + Add, Constant nodes, Dropout/Flatten/Reshape/Identity) and the files that must be refused.

Extra, not committed (for the README's measurements):
  --lenet PATH           an untrained 784-300-100-10 ReLU MLP (266,610 parameters), for the import timing.
  --digits-split DIR     the digits rows the fixture was trained on (train.csv) and the held-out rows (test.csv).
  --mnist-mlp PATH --mnist DIR
                         a 784-300-100-10 ReLU MLP trained by PyTorch on the first 50,000 images of MNIST's training
                         file (10 epochs, Adam 1e-3, batch 128, pixels / 255), for issue J's import-and-prune benchmark;
                         the file's last 10,000 images are left unseen for validation. Not committed (1 MB).
"""
import argparse
import csv
import gzip
import os

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = os.path.join(HERE, "..", "..", "..", "..", "src", "Microsoft.ML.AdaptivePruning", "Data", "Samples")
OPSET = 13


def read_sample(name):
    path = os.path.join(SAMPLES, name)
    opener = gzip.open if name.endswith(".gz") else open
    with opener(path, "rt") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    features = np.array([[float(v) for v in r[:-1]] for r in body], dtype=np.float32)
    labels = [r[-1] for r in body]
    return header, features, labels


def held_out(count):
    """Row i is held out when i % 5 == 0: the same rule the C# tests use (ImportFixtures.IsHeldOut)."""
    return np.arange(count) % 5 == 0


def fold_standardisation(model, mean, std):
    """Folds (x - mean) / std into the first Linear layer, so the exported network reads raw features exactly."""
    first = model[0]
    with torch.no_grad():
        w = first.weight / torch.from_numpy(std)
        first.bias -= (w * torch.from_numpy(mean)).sum(dim=1)
        first.weight.copy_(w)


def train(model, x, y, loss_fn, epochs, lr, seed):
    torch.manual_seed(seed)
    optimiser = torch.optim.Adam(model.parameters(), lr=lr)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    for _ in range(epochs):
        order = torch.randperm(len(xt))
        for start in range(0, len(xt), 32):
            batch = order[start:start + 32]
            optimiser.zero_grad()
            loss_fn(model(xt[batch]), yt[batch]).backward()
            optimiser.step()
    model.eval()


def export(model, width, path):
    dummy = torch.zeros(2, width)
    torch.onnx.export(model, dummy, path, input_names=["Features"], output_names=["Output"],
                      dynamic_axes={"Features": {0: "N"}, "Output": {0: "N"}}, opset_version=OPSET)


def torch_digits(out):
    _, x, labels = read_sample("digits.csv.gz")
    y = np.array([int(float(v)) for v in labels], dtype=np.int64)
    train_rows = ~held_out(len(x))
    torch.manual_seed(11)
    model = torch.nn.Sequential(torch.nn.Linear(64, 128), torch.nn.ReLU(), torch.nn.Linear(128, 64), torch.nn.ReLU(),
                                torch.nn.Linear(64, 10))
    # Pixel counts 0..16 scaled inside the first layer, as a user's preprocessing folded in would be.
    scale = np.full(64, 16.0, dtype=np.float32)
    train(model, x[train_rows] / 16.0, y[train_rows], torch.nn.functional.cross_entropy, epochs=60, lr=1e-3, seed=12)
    fold_standardisation(model, np.zeros(64, dtype=np.float32), scale)
    accuracy = (model(torch.from_numpy(x[~train_rows])).argmax(1).numpy() == y[~train_rows]).mean()
    print(f"torch_digits_mlp: held-out accuracy {accuracy:.4f}")
    export(model, 64, os.path.join(out, "torch_digits_mlp.onnx"))
    # The same weights as PyTorch users keep them: a state_dict (torch.save, zip pickle) and a safetensors file.
    torch.save(model.state_dict(), os.path.join(out, "torch_digits_mlp.pt"))
    save_safetensors(model.state_dict(), os.path.join(out, "torch_digits_mlp.safetensors"))


def save_safetensors(state, path):
    """The safetensors layout (8-byte little-endian header length, JSON header, raw little-endian data), written
    directly because Debian 12 packages no safetensors module."""
    import json
    import struct
    header, blobs, offset = {}, [], 0
    for name, tensor in state.items():
        data = tensor.detach().contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    encoded = json.dumps(header, separators=(",", ":")).encode()
    encoded += b" " * (-len(encoded) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for blob in blobs:
            f.write(blob)


def torch_breast_cancer(out):
    _, x, labels = read_sample("breast_cancer.csv")
    y = np.array([1.0 if v == "true" else 0.0 for v in labels], dtype=np.float32)[:, None]
    train_rows = ~held_out(len(x))
    mean, std = x[train_rows].mean(0), x[train_rows].std(0) + 1e-6
    torch.manual_seed(21)
    net = torch.nn.Sequential(torch.nn.Linear(30, 16), torch.nn.Tanh(), torch.nn.Linear(16, 8), torch.nn.Tanh(),
                              torch.nn.Linear(8, 1))
    train(net, (x[train_rows] - mean) / std, y[train_rows], torch.nn.functional.binary_cross_entropy_with_logits,
          epochs=40, lr=1e-3, seed=22)
    fold_standardisation(net, mean, std)
    # The exported graph ends with Sigmoid: the file gives probabilities, as many binary exports do.
    model = torch.nn.Sequential(*net, torch.nn.Sigmoid()).eval()
    accuracy = ((model(torch.from_numpy(x[~train_rows])).detach().numpy() > 0.5) == (y[~train_rows] > 0.5)).mean()
    print(f"torch_breast_cancer_mlp: held-out accuracy {accuracy:.4f}")
    export(model, 30, os.path.join(out, "torch_breast_cancer_mlp.onnx"))


def torch_diabetes(out):
    _, x, labels = read_sample("diabetes.csv")
    y = np.array([float(v) for v in labels], dtype=np.float32)[:, None]
    train_rows = ~held_out(len(x))
    mean, std = x[train_rows].mean(0), x[train_rows].std(0) + 1e-6
    y_mean, y_std = y[train_rows].mean(), y[train_rows].std()
    torch.manual_seed(31)
    model = torch.nn.Sequential(torch.nn.Linear(10, 32), torch.nn.ReLU(), torch.nn.Linear(32, 1))
    train(model, (x[train_rows] - mean) / std, (y[train_rows] - y_mean) / y_std, torch.nn.functional.mse_loss,
          epochs=60, lr=1e-3, seed=32)
    fold_standardisation(model, mean, std)
    with torch.no_grad():
        model[2].weight *= float(y_std)
        model[2].bias.copy_(model[2].bias * float(y_std) + float(y_mean))
    print("torch_diabetes_mlp: held-out RMSE %.2f" % float(
        ((model(torch.from_numpy(x[~train_rows])) - torch.from_numpy(y[~train_rows])) ** 2).mean().sqrt()))
    export(model, 10, os.path.join(out, "torch_diabetes_mlp.onnx"))


def torch_flatten_leaky(out):
    """Flatten + LeakyReLU + a final Softmax, as torch exports them (multiclass, 64 inputs, 10 classes, untrained)."""
    torch.manual_seed(41)
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(64, 24), torch.nn.LeakyReLU(0.01),
                                torch.nn.Dropout(0.5), torch.nn.Linear(24, 10), torch.nn.Softmax(dim=1)).eval()
    export(model, 64, os.path.join(out, "torch_flatten_leaky_softmax.onnx"))


def batched(name, width):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, ["N", width])


def save(graph, path):
    model = helper.make_model(graph, producer_name="make_fixtures.py", opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)


def random_layer(rng, inputs, outputs):
    bound = 1 / np.sqrt(inputs)
    return (rng.uniform(-bound, bound, (inputs, outputs)).astype(np.float32),
            rng.uniform(-bound, bound, outputs).astype(np.float32))


def float_data_tensor(name, array):
    """An initializer stored in float_data rather than raw_data (both are valid ONNX)."""
    return helper.make_tensor(name, TensorProto.FLOAT, array.shape, array.flatten().tolist(), raw=False)


def helper_matmul_add(out):
    """MatMul + Add layers, Sigmoid hidden activations, Identity/Reshape/Dropout between, a final LogSoftmax (3 classes)."""
    rng = np.random.default_rng(51)
    w0, b0 = random_layer(rng, 6, 5)
    w1, b1 = random_layer(rng, 5, 4)
    w2, b2 = random_layer(rng, 4, 3)
    nodes = [
        helper.make_node("Identity", ["Features"], ["x0"], name="identity"),
        helper.make_node("MatMul", ["x0", "W0"], ["m0"], name="matmul0"),
        helper.make_node("Add", ["m0", "B0"], ["z0"], name="add0"),
        helper.make_node("Sigmoid", ["z0"], ["h0"], name="sigmoid0"),
        helper.make_node("Dropout", ["h0"], ["d0"], name="dropout0"),
        helper.make_node("Reshape", ["d0", "shape"], ["r0"], name="reshape0"),
        helper.make_node("MatMul", ["r0", "W1"], ["m1"], name="matmul1"),
        # The bias first, as some exporters write it.
        helper.make_node("Add", ["B1", "m1"], ["z1"], name="add1"),
        helper.make_node("Sigmoid", ["z1"], ["h1"], name="sigmoid1"),
        helper.make_node("MatMul", ["h1", "W2"], ["m2"], name="matmul2"),
        helper.make_node("Add", ["m2", "B2"], ["z2"], name="add2"),
        helper.make_node("LogSoftmax", ["z2"], ["Output"], name="logsoftmax", axis=1),
    ]
    initializers = [float_data_tensor("W0", w0), numpy_helper.from_array(b0, "B0"), numpy_helper.from_array(w1, "W1"),
                    float_data_tensor("B1", b1), numpy_helper.from_array(w2, "W2"), numpy_helper.from_array(b2, "B2"),
                    numpy_helper.from_array(np.array([-1, 5], dtype=np.int64), "shape")]
    save(helper.make_graph(nodes, "matmul_add", [batched("Features", 6)], [batched("Output", 3)], initializers),
         os.path.join(out, "helper_matmul_add.onnx"))


def helper_constant_nodes(out):
    """Weights as Constant nodes; Gemm with transB = 0, alpha and beta; a broadcast [1, out] bias; binary, no final op."""
    rng = np.random.default_rng(61)
    w0, b0 = random_layer(rng, 4, 6)
    w1, b1 = random_layer(rng, 6, 1)
    nodes = [
        helper.make_node("Constant", [], ["W0"], name="const_w0", value=numpy_helper.from_array(w0, "w0")),
        helper.make_node("Constant", [], ["B0"], name="const_b0", value=numpy_helper.from_array(b0[None, :], "b0")),
        helper.make_node("Gemm", ["Features", "W0", "B0"], ["z0"], name="gemm0", alpha=0.5, beta=2.0, transB=0),
        helper.make_node("Tanh", ["z0"], ["h0"], name="tanh0"),
        helper.make_node("Flatten", ["h0"], ["f0"], name="flatten0", axis=1),
        helper.make_node("Constant", [], ["W1"], name="const_w1", value=numpy_helper.from_array(w1.T.copy(), "w1")),
        helper.make_node("Constant", [], ["B1"], name="const_b1", value=numpy_helper.from_array(b1, "b1")),
        helper.make_node("Gemm", ["f0", "W1", "B1"], ["Output"], name="gemm1", transB=1),
    ]
    save(helper.make_graph(nodes, "constant_nodes", [batched("Features", 4)], [batched("Output", 1)]),
         os.path.join(out, "helper_constant_nodes.onnx"))


def helper_refused(out):
    """Files the import must refuse with a named error: an unsupported operator, and mixed hidden activations."""
    rng = np.random.default_rng(71)
    w0, b0 = random_layer(rng, 4, 3)
    w1, b1 = random_layer(rng, 3, 1)
    inits = [numpy_helper.from_array(w0, "W0"), numpy_helper.from_array(b0, "B0"),
             numpy_helper.from_array(w1, "W1"), numpy_helper.from_array(b1, "B1")]
    unsupported = [
        helper.make_node("MatMul", ["Features", "W0"], ["m0"], name="matmul0"),
        helper.make_node("Add", ["m0", "B0"], ["z0"], name="add0"),
        helper.make_node("Elu", ["z0"], ["h0"], name="elu0"),
        helper.make_node("MatMul", ["h0", "W1"], ["m1"], name="matmul1"),
        helper.make_node("Add", ["m1", "B1"], ["Output"], name="add1"),
    ]
    save(helper.make_graph(unsupported, "unsupported", [batched("Features", 4)], [batched("Output", 1)], inits),
         os.path.join(out, "helper_unsupported_op.onnx"))

    w1b, b1b = random_layer(rng, 3, 3)
    mixed = [
        helper.make_node("Gemm", ["Features", "W0", "B0"], ["z0"], name="gemm0"),
        helper.make_node("Relu", ["z0"], ["h0"], name="relu0"),
        helper.make_node("Gemm", ["h0", "W1b", "B1b"], ["z1"], name="gemm1"),
        helper.make_node("Tanh", ["z1"], ["h1"], name="tanh1"),
        helper.make_node("Gemm", ["h1", "W1", "B1"], ["Output"], name="gemm2"),
    ]
    mixed_inits = inits + [numpy_helper.from_array(w1b, "W1b"), numpy_helper.from_array(b1b, "B1b")]
    save(helper.make_graph(mixed, "mixed", [batched("Features", 4)], [batched("Output", 1)], mixed_inits),
         os.path.join(out, "helper_mixed_activations.onnx"))


def lenet(path):
    torch.manual_seed(81)
    model = torch.nn.Sequential(torch.nn.Linear(784, 300), torch.nn.ReLU(), torch.nn.Linear(300, 100), torch.nn.ReLU(),
                                torch.nn.Linear(100, 10)).eval()
    print("lenet parameters:", sum(p.numel() for p in model.parameters()))
    export(model, 784, path)


def read_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def mnist_mlp(path, folder):
    torch.manual_seed(1)
    images = read_idx(os.path.join(folder, "train-images-idx3-ubyte")).reshape(-1, 784)[:50000].astype(np.float32) / 255
    labels = read_idx(os.path.join(folder, "train-labels-idx1-ubyte"))[:50000].astype(np.int64)
    x, y = torch.from_numpy(images), torch.from_numpy(labels)
    model = torch.nn.Sequential(torch.nn.Linear(784, 300), torch.nn.ReLU(), torch.nn.Linear(300, 100), torch.nn.ReLU(),
                                torch.nn.Linear(100, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(10):
        order = torch.randperm(len(x))
        for start in range(0, len(x), 128):
            batch = order[start:start + 128]
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(x[batch]), y[batch])
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch + 1}: last batch loss {loss.item():.4f}")
    export(model.eval(), 784, path)


def digits_split(folder):
    header, x, labels = read_sample("digits.csv.gz")
    rows = held_out(len(x))
    os.makedirs(folder, exist_ok=True)
    for name, keep in (("train.csv", ~rows), ("test.csv", rows)):
        with open(os.path.join(folder, name), "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(header)
            for features, label, k in zip(x, labels, keep):
                if k:
                    writer.writerow([f"{v:g}" for v in features] + [str(int(float(label)))])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=HERE)
    parser.add_argument("--lenet")
    parser.add_argument("--digits-split")
    parser.add_argument("--mnist-mlp")
    parser.add_argument("--mnist", default=os.path.join(HERE, "..", "..", "..", "..", ".data", "mnist"))
    args = parser.parse_args()
    if args.mnist_mlp:
        mnist_mlp(args.mnist_mlp, args.mnist)
        return
    if args.lenet:
        lenet(args.lenet)
        return
    if args.digits_split:
        digits_split(args.digits_split)
        return
    torch_digits(args.out)
    torch_breast_cancer(args.out)
    torch_diabetes(args.out)
    torch_flatten_leaky(args.out)
    helper_matmul_add(args.out)
    helper_constant_nodes(args.out)
    helper_refused(args.out)


if __name__ == "__main__":
    main()
