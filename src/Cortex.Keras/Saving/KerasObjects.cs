using System.Reflection;
using Cortex.Keras.Constraints;
using Cortex.Keras.Initializers;
using Cortex.Keras.Layers;
using Cortex.Keras.Losses;
using Cortex.Keras.Models;
using Cortex.Keras.Optimizers;
using Cortex.Keras.Regularizers;

namespace Cortex.Keras.Saving;

/// <summary>
/// The serialization registry (Keras's <c>serialization_lib</c>): every built-in layer, initializer, optimizer and loss
/// by its Keras class name, each with a factory from its saved <c>config</c>, plus the user's classes registered in
/// <see cref="CustomObjects"/>. <see cref="Serialize(Layer)"/> writes Keras 3's
/// <c>{"module", "class_name", "config", "registered_name"}</c> form; <see cref="Deserialize"/> reads it, and also
/// Keras 2's <c>{"class_name", "config"}</c>.
/// </summary>
/// <remarks>
/// Adding a layer is one line here: <c>Layer("LSTM", c => new LSTM(c.Int("units"), ...))</c>, with the layer's
/// <see cref="Layer.GetConfig"/> returning Keras's keys.
/// </remarks>
public static class KerasObjects
{
    /// <summary>The kinds of object the registry holds.</summary>
    public enum Kind
    {
        /// <summary>A layer or a model.</summary>
        Layer,
        /// <summary>An initializer.</summary>
        Initializer,
        /// <summary>An optimizer.</summary>
        Optimizer,
        /// <summary>A loss.</summary>
        Loss,
        /// <summary>A weight or activity regularizer.</summary>
        Regularizer,
        /// <summary>A weight constraint.</summary>
        Constraint,
    }

    private static readonly Dictionary<string, Func<ConfigNode, Layer>> Layers = new();
    private static readonly Dictionary<string, Func<ConfigNode, Initializer>> Inits = new();
    private static readonly Dictionary<string, Func<ConfigNode, Optimizer>> Opts = new(StringComparer.OrdinalIgnoreCase);

    private static readonly Dictionary<string, Func<ConfigNode, Regularizer>> Regs = new();
    private static readonly Dictionary<string, Func<ConfigNode, Constraint>> Cons = new();

    [ThreadStatic] private static CustomObjects? _scope;
    [ThreadStatic] private static bool _keras2;

    static KerasObjects()
    {
        // ---- core
        Layer("InputLayer", c =>
        {
            var batch = c.Ints("batch_shape") ?? c.Ints("batch_input_shape") ?? throw new FormatException($"The config of {c.Owner} has no 'batch_shape'.");
            return new InputLayer(batch.Skip(1).ToArray(), c.Name, batch[0] > 0 ? batch[0] : null);
        });
        Layer("Dense", c => new Dense(c.Int("units"), c.Activation(), c.Bool("use_bias", true),
            c.Initializer("kernel_initializer", "glorot_uniform"), c.Initializer("bias_initializer", "zeros"), c.InputShape, c.Name,
            c.Regularizer("kernel_regularizer"), c.Regularizer("bias_regularizer"), c.Regularizer("activity_regularizer"),
            c.Constraint("kernel_constraint"), c.Constraint("bias_constraint")));
        Layer("Activation", c => new Activation(c.Activation() ?? "linear", c.InputShape, c.Name));
        Layer("Dropout", c => new Dropout(c.Float("rate"), c.Ints("noise_shape"), c.IntOrNull("seed"), c.InputShape, c.Name));
        Layer("Flatten", c => new Flatten(c.InputShape, c.Name));
        Layer("Reshape", c => new Reshape(c.Ints("target_shape")!, c.InputShape, c.Name));
        Layer("Permute", c => new Permute(c.Ints("dims")!, c.InputShape, c.Name));
        // ---- convolution
        Layer("Conv1D", c => new Conv1D(c.Int("filters"), c.Size1("kernel_size"), c.Size1("strides", 1), c.String("padding", "valid")!,
            c.DataFormat(), c.Size1("dilation_rate", 1), c.Activation(), c.Bool("use_bias", true),
            c.Initializer("kernel_initializer", "glorot_uniform"), c.Initializer("bias_initializer", "zeros"), c.InputShape, c.Name,
            c.Regularizer("kernel_regularizer"), c.Regularizer("bias_regularizer"), c.Regularizer("activity_regularizer"),
            c.Constraint("kernel_constraint"), c.Constraint("bias_constraint")));
        Layer("Conv2D", c => new Conv2D(c.Int("filters"), c.Size2("kernel_size"), c.Size2("strides", 1), c.String("padding", "valid")!,
            c.DataFormat(), c.Size2("dilation_rate", 1), c.Activation(), c.Bool("use_bias", true),
            c.Initializer("kernel_initializer", "glorot_uniform"), c.Initializer("bias_initializer", "zeros"), c.InputShape, c.Name,
            c.Regularizer("kernel_regularizer"), c.Regularizer("bias_regularizer"), c.Regularizer("activity_regularizer"),
            c.Constraint("kernel_constraint"), c.Constraint("bias_constraint")));
        Layer("Conv2DTranspose", c => new Conv2DTranspose(c.Int("filters"), c.Size2("kernel_size"), c.Size2("strides", 1), c.String("padding", "valid")!,
            c.DataFormat(), c.Size2("dilation_rate", 1), c.Activation(), c.Bool("use_bias", true),
            c.Initializer("kernel_initializer", "glorot_uniform"), c.Initializer("bias_initializer", "zeros"), c.InputShape, c.Name,
            c.Regularizer("kernel_regularizer"), c.Regularizer("bias_regularizer"), c.Regularizer("activity_regularizer"),
            c.Constraint("kernel_constraint"), c.Constraint("bias_constraint")));
        // ---- pooling
        Layer("MaxPooling1D", c => new MaxPooling1D(c.Size1("pool_size", 2), c.Has("strides") ? c.Size1("strides") : null, c.String("padding", "valid")!, c.DataFormat(), c.InputShape, c.Name));
        Layer("AveragePooling1D", c => new AveragePooling1D(c.Size1("pool_size", 2), c.Has("strides") ? c.Size1("strides") : null, c.String("padding", "valid")!, c.DataFormat(), c.InputShape, c.Name));
        Layer("MaxPooling2D", c => new MaxPooling2D(c.Size2("pool_size", 2), c.Has("strides") ? c.Size2("strides") : null, c.String("padding", "valid")!, c.DataFormat(), c.InputShape, c.Name));
        Layer("AveragePooling2D", c => new AveragePooling2D(c.Size2("pool_size", 2), c.Has("strides") ? c.Size2("strides") : null, c.String("padding", "valid")!, c.DataFormat(), c.InputShape, c.Name));
        Layer("GlobalMaxPooling1D", c => new GlobalMaxPooling1D(c.DataFormat(), c.Bool("keepdims", false), c.InputShape, c.Name));
        Layer("GlobalAveragePooling1D", c => new GlobalAveragePooling1D(c.DataFormat(), c.Bool("keepdims", false), c.InputShape, c.Name));
        Layer("GlobalMaxPooling2D", c => new GlobalMaxPooling2D(c.DataFormat(), c.Bool("keepdims", false), c.InputShape, c.Name));
        Layer("GlobalAveragePooling2D", c => new GlobalAveragePooling2D(c.DataFormat(), c.Bool("keepdims", false), c.InputShape, c.Name));
        // ---- normalization
        Layer("BatchNormalization", c => new BatchNormalization(c.Int("axis", -1), c.Float("momentum", 0.99f), c.Float("epsilon", 1e-3f),
            c.Bool("center", true), c.Bool("scale", true), c.Initializer("beta_initializer", "zeros"), c.Initializer("gamma_initializer", "ones"),
            c.Initializer("moving_mean_initializer", "zeros"), c.Initializer("moving_variance_initializer", "ones"), c.InputShape, c.Name,
            c.Regularizer("beta_regularizer"), c.Regularizer("gamma_regularizer"), c.Constraint("beta_constraint"), c.Constraint("gamma_constraint")));
        // ---- reshaping
        Layer("UpSampling1D", c => new UpSampling1D(c.Size1("size", 2), c.InputShape, c.Name));
        Layer("UpSampling2D", c => new UpSampling2D(c.Size2("size", 2), c.DataFormat(), c.String("interpolation", "nearest")!, c.InputShape, c.Name));
        Layer("ZeroPadding1D", c => new ZeroPadding1D(Margins1(c, "padding", 1), c.InputShape, c.Name));
        Layer("Cropping1D", c => new Cropping1D(Margins1(c, "cropping", 1), c.InputShape, c.Name));
        Layer("ZeroPadding2D", c => new ZeroPadding2D(Margins2(c, "padding"), c.DataFormat(), c.InputShape, c.Name));
        Layer("Cropping2D", c => new Cropping2D(Margins2(c, "cropping"), c.DataFormat(), c.InputShape, c.Name));
        // ---- activations
        Layer("ReLU", c => new ReLU(c.FloatOrNull("max_value"), c.Float("negative_slope", 0f), c.Float("threshold", 0f), c.InputShape, c.Name));
        Layer("LeakyReLU", c => new LeakyReLU(c.FloatOrNull("negative_slope") ?? c.Float("alpha", 0.3f), c.InputShape, c.Name));
        Layer("ELU", c => new ELU(c.Float("alpha", 1f), c.InputShape, c.Name));
        Layer("ThresholdedReLU", c => new ThresholdedReLU(c.Float("theta", 1f), c.InputShape, c.Name));
        Layer("Softmax", c => new Softmax(c.Int("axis", -1), c.InputShape, c.Name));
        Layer("PReLU", c => new PReLU(c.Initializer("alpha_initializer", "zeros"), c.Ints("shared_axes"), c.InputShape, c.Name));
        // ---- noise and dropout
        Layer("GaussianNoise", c => new GaussianNoise(c.Float("stddev"), c.IntOrNull("seed"), c.InputShape, c.Name));
        Layer("GaussianDropout", c => new GaussianDropout(c.Float("rate"), c.IntOrNull("seed"), c.InputShape, c.Name));
        Layer("SpatialDropout1D", c => new SpatialDropout1D(c.Float("rate"), c.IntOrNull("seed"), c.InputShape, c.Name));
        Layer("SpatialDropout2D", c => new SpatialDropout2D(c.Float("rate"), c.String("data_format"), c.IntOrNull("seed"), c.InputShape, c.Name));
        // ---- merging
        Layer("Add", c => new Add(c.Name));
        Layer("Subtract", c => new Subtract(c.Name));
        Layer("Multiply", c => new Multiply(c.Name));
        Layer("Average", c => new Average(c.Name));
        Layer("Maximum", c => new Maximum(c.Name));
        Layer("Minimum", c => new Minimum(c.Name));
        Layer("Concatenate", c => new Concatenate(c.Int("axis", -1), c.Name));
        Layer("Dot", c =>
        {
            var axes = c.Ints("axes")!;
            return new Dot(axes.Length == 1 ? (axes[0], axes[0]) : (axes[0], axes[1]), c.Bool("normalize", false), c.Name);
        });
        // ---- embeddings, masking, recurrent, wrappers (Layers/Core, Layers/Recurrent, Layers/Wrappers)
        Layer("Embedding", c => new Embedding(c.Int("input_dim"), c.Int("output_dim"), c.Initializer("embeddings_initializer", "uniform"),
            c.Bool("mask_zero", false), c.IntOrNull("input_length"), EmbeddingInputShape(c), c.Name,
            c.Regularizer("embeddings_regularizer"), c.Regularizer("activity_regularizer"), c.Constraint("embeddings_constraint")));
        Layer("Masking", c => new Masking(c.Float("mask_value", 0f), c.InputShape, c.Name));
        Layer("RepeatVector", c => new RepeatVector(c.Int("n"), c.InputShape, c.Name));
        Layer("Lambda", Cortex.Keras.Layers.Lambda.FromConfig);
        Layer("SimpleRNN", c => RecurrentFromConfig(c, a => new SimpleRNN(a with { RecurrentActivation = "sigmoid" })));
        Layer("LSTM", c => RecurrentFromConfig(c, a => new LSTM(a, c.Bool("unit_forget_bias", true))));
        Layer("GRU", c => RecurrentFromConfig(c, a => new GRU(a, c.Bool("reset_after", !_keras2))));
        Layer("Bidirectional", c =>
        {
            var forward = WrappedLayer(c, "layer") as BaseRNN ?? throw new FormatException($"The config of {c.Owner}: Bidirectional wraps a recurrent layer (SimpleRNN, LSTM, GRU).");
            var backward = c.Has("backward_layer") ? WrappedLayer(c, "backward_layer") as BaseRNN
                ?? throw new FormatException($"The config of {c.Owner}: backward_layer must be a recurrent layer (SimpleRNN, LSTM, GRU).") : null;
            return new Bidirectional(forward, c.Has("merge_mode") ? c.String("merge_mode") : null, backward, c.Name);
        });
        Layer("TimeDistributed", c => new TimeDistributed(WrappedLayer(c, "layer"), c.InputShape, c.Name));
        // ---- models (nested)
        Layer("Sequential", ModelConfig.SequentialFromConfig);
        Layer("Functional", ModelConfig.FunctionalFromConfig);
        Layer("Model", ModelConfig.FunctionalFromConfig);

        // ---- initializers
        Init("Zeros", _ => new Zeros());
        Init("Ones", _ => new Ones());
        Init("Constant", c => new Constant(c.Float("value", 0f)));
        Init("RandomUniform", c => new RandomUniform(c.Float("minval", -0.05f), c.Float("maxval", 0.05f), c.Seed()));
        Init("RandomNormal", c => new RandomNormal(c.Float("mean", 0f), c.Float("stddev", 0.05f), c.Seed()));
        Init("TruncatedNormal", c => new TruncatedNormal(c.Float("mean", 0f), c.Float("stddev", 0.05f), c.Seed()));
        Init("VarianceScaling", c => new VarianceScaling(c.Float("scale", 1f), c.String("mode", "fan_in")!, c.String("distribution", "truncated_normal")!, c.Seed()));
        Init("GlorotUniform", c => new GlorotUniform(c.Seed()));
        Init("GlorotNormal", c => new GlorotNormal(c.Seed()));
        Init("HeUniform", c => new HeUniform(c.Seed()));
        Init("HeNormal", c => new HeNormal(c.Seed()));
        Init("LecunUniform", c => new LecunUniform(c.Seed()));
        Init("LecunNormal", c => new LecunNormal(c.Seed()));
        Init("Orthogonal", c => new Orthogonal(c.Float("gain", 1f), c.Seed()));
        Init("Identity", c => new Identity(c.Float("gain", 1f)));
        RegisterPenalties();

        // ---- optimizers (Keras 2 spells learning_rate "lr")
        Opt("SGD", c => new SGD(Lr(c, 0.01f), c.Float("momentum", 0f), c.Bool("nesterov", false)) { Name = c.String("name", "SGD")!, ClipNorm = c.FloatOrNull("clipnorm"), ClipValue = c.FloatOrNull("clipvalue"), GlobalClipNorm = c.FloatOrNull("global_clipnorm"), Decay = c.Float("decay", 0f) });
        Opt("RMSprop", c => new RMSprop(Lr(c, 0.001f), c.Float("rho", 0.9f), c.Float("momentum", 0f), c.Float("epsilon", 1e-7f), c.Bool("centered", false)) { Name = c.String("name", "rmsprop")!, ClipNorm = c.FloatOrNull("clipnorm"), ClipValue = c.FloatOrNull("clipvalue"), GlobalClipNorm = c.FloatOrNull("global_clipnorm"), Decay = c.Float("decay", 0f) });
        Opt("Adagrad", c => new Adagrad(Lr(c, 0.001f), c.Float("initial_accumulator_value", 0.1f), c.Float("epsilon", 1e-7f)) { Name = c.String("name", "adagrad")!, ClipNorm = c.FloatOrNull("clipnorm"), ClipValue = c.FloatOrNull("clipvalue"), GlobalClipNorm = c.FloatOrNull("global_clipnorm"), Decay = c.Float("decay", 0f) });
        Opt("Adadelta", c => new Adadelta(Lr(c, 0.001f), c.Float("rho", 0.95f), c.Float("epsilon", 1e-7f)) { Name = c.String("name", "adadelta")!, ClipNorm = c.FloatOrNull("clipnorm"), ClipValue = c.FloatOrNull("clipvalue"), GlobalClipNorm = c.FloatOrNull("global_clipnorm"), Decay = c.Float("decay", 0f) });
        Opt("Adam", c => new Adam(Lr(c, 0.001f), c.Float("beta_1", 0.9f), c.Float("beta_2", 0.999f), c.Float("epsilon", 1e-7f), c.Bool("amsgrad", false)) { Name = c.String("name", "adam")!, ClipNorm = c.FloatOrNull("clipnorm"), ClipValue = c.FloatOrNull("clipvalue"), GlobalClipNorm = c.FloatOrNull("global_clipnorm"), Decay = c.Float("decay", 0f) });
        Opt("Adamax", c => new Adamax(Lr(c, 0.001f), c.Float("beta_1", 0.9f), c.Float("beta_2", 0.999f), c.Float("epsilon", 1e-7f)) { Name = c.String("name", "adamax")!, ClipNorm = c.FloatOrNull("clipnorm"), ClipValue = c.FloatOrNull("clipvalue"), GlobalClipNorm = c.FloatOrNull("global_clipnorm"), Decay = c.Float("decay", 0f) });
        Opt("Nadam", c => new Nadam(Lr(c, 0.001f), c.Float("beta_1", 0.9f), c.Float("beta_2", 0.999f), c.Float("epsilon", 1e-7f)) { Name = c.String("name", "nadam")!, ClipNorm = c.FloatOrNull("clipnorm"), ClipValue = c.FloatOrNull("clipvalue"), GlobalClipNorm = c.FloatOrNull("global_clipnorm"), Decay = c.Float("decay", 0f) });
    }

    private static void RegisterPenalties()
    {
        Reg("L1", c => new L1(c.Float("l1", 0.01f)));
        Reg("L2", c => new L2(c.Float("l2", 0.01f)));
        Reg("L1L2", c => new L1L2(c.Float("l1", 0f), c.Float("l2", 0f)));
        Con("MaxNorm", c => new MaxNorm(c.Float("max_value", 2f), c.Ints("axis") ?? new[] { 0 }));
        Con("MinMaxNorm", c => new MinMaxNorm(c.Float("min_value", 0f), c.Float("max_value", 1f), c.Float("rate", 1f), c.Ints("axis") ?? new[] { 0 }));
        Con("NonNeg", _ => new NonNeg());
        Con("UnitNorm", c => new UnitNorm(c.Ints("axis") ?? new[] { 0 }));
    }

    /// <summary>Registers (or replaces) a regularizer factory by Keras class name.</summary>
    public static void Reg(string className, Func<ConfigNode, Regularizer> fromConfig) { lock (Regs) Regs[className] = fromConfig; }

    /// <summary>Registers (or replaces) a constraint factory by Keras class name.</summary>
    public static void Con(string className, Func<ConfigNode, Constraint> fromConfig) { lock (Cons) Cons[className] = fromConfig; }

    /// <summary>A recurrent layer from its config: the arguments every recurrent layer reads (Keras 3's and Keras 2's keys), passed to <paramref name="create"/>.</summary>
    private static BaseRNN RecurrentFromConfig(ConfigNode c, Func<RecurrentConfig, BaseRNN> create)
    {
        if (c.Bool("time_major", false))
            throw new FormatException($"The config of {c.Owner} has time_major=true; Cortex's recurrent layers take (batch, timesteps, features) only.");
        var batch = c.Ints("batch_shape") ?? c.Ints("batch_input_shape");
        bool statefulBatch = batch is { Length: > 0 } && batch[0] > 0;
        var args = new RecurrentConfig(c.Int("units"), RecurrentActivationName(c, "activation", "tanh"), RecurrentActivationName(c, "recurrent_activation", "sigmoid"),
            c.Bool("use_bias", true), c.Initializer("kernel_initializer", "glorot_uniform"), c.Initializer("recurrent_initializer", "orthogonal"),
            c.Initializer("bias_initializer", "zeros"), c.Float("dropout", 0f), c.Float("recurrent_dropout", 0f), c.Bool("return_sequences", false),
            c.Bool("return_state", false), c.Bool("go_backwards", false), c.Bool("stateful", false), c.Bool("unroll", false), c.IntOrNull("seed"),
            statefulBatch ? null : c.InputShape, statefulBatch ? batch : null, c.Name,
            c.Regularizer("kernel_regularizer"), c.Regularizer("recurrent_regularizer"), c.Regularizer("bias_regularizer"),
            c.Regularizer("activity_regularizer"), c.Constraint("kernel_constraint"), c.Constraint("recurrent_constraint"), c.Constraint("bias_constraint"));
        var layer = create(args);
        if (c.Bool("zero_output_for_mask", false)) layer.ZeroOutputForMask = true;
        return layer;
    }

    /// <summary>
    /// An activation of a recurrent layer; in a Keras 2 file "hard_sigmoid" is Keras 2's (slope 0.2), which Cortex calls
    /// "hard_sigmoid_keras2" (Keras 3's hard_sigmoid has slope 1/6).
    /// </summary>
    private static string RecurrentActivationName(ConfigNode c, string key, string fallback)
    {
        var name = c.Activation(key) ?? fallback;
        return _keras2 && name == "hard_sigmoid" ? "hard_sigmoid_keras2" : name;
    }

    /// <summary>Embedding's input shape: the declared one, else Keras 2's input_length as a 1-D shape (handled by the constructor).</summary>
    private static int[]? EmbeddingInputShape(ConfigNode c) => c.InputShape is { } s && s.All(d => d == -1) && c.IntOrNull("input_length") is > 0 ? null : c.InputShape;

    /// <summary>The layer a wrapper's config nests under <paramref name="key"/>.</summary>
    private static Layer WrappedLayer(ConfigNode c, string key) =>
        DeserializeLayer(new ConfigNode(c.Required(key).Element, $"'{key}' of {c.Owner}"));

    /// <summary>
    /// Runs <paramref name="action"/> reading configs as Keras 2 wrote them: "hard_sigmoid" of recurrent layers is Keras
    /// 2's (slope 0.2) and GRU's reset_after defaults to false. Used by the legacy .h5 loader for files of Keras 2.x.
    /// </summary>
    internal static T WithKeras2Semantics<T>(bool keras2, Func<T> action)
    {
        var previous = _keras2;
        _keras2 = keras2;
        try { return action(); }
        finally { _keras2 = previous; }
    }

    /// <summary>Registers (or replaces) a built-in layer factory by Keras class name: the one line a new layer needs.</summary>
    public static void Layer(string className, Func<ConfigNode, Layer> fromConfig) { lock (Layers) Layers[className] = fromConfig; }

    /// <summary>Registers (or replaces) an initializer factory by Keras class name.</summary>
    public static void Init(string className, Func<ConfigNode, Initializer> fromConfig) { lock (Inits) Inits[className] = fromConfig; }

    /// <summary>Registers (or replaces) an optimizer factory by Keras class name.</summary>
    public static void Opt(string className, Func<ConfigNode, Optimizer> fromConfig) { lock (Opts) Opts[className] = fromConfig; }

    /// <summary>The Keras class names of the layers Cortex can load, sorted.</summary>
    public static IReadOnlyList<string> LayerClassNames { get { lock (Layers) return Layers.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList(); } }

    // ------------------------------------------------------------------ serialize

    /// <summary>
    /// A layer (or model) in Keras 3's serialized form: module, class_name, config, registered_name and, once built,
    /// build_config. A registered custom class is written under its registered name.
    /// </summary>
    public static Dictionary<string, object?> Serialize(Layer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var custom = CustomObjects.NameOf(layer.GetType());
        var config = layer is Model m ? ModelConfig.GetModelConfig(m) : LayerConfigForSaving(layer);
        var d = new Dictionary<string, object?>
        {
            ["module"] = custom is null ? (layer is Model ? "keras" : "keras.layers") : null,
            ["class_name"] = ClassName(layer),
            ["config"] = config,
            ["registered_name"] = custom,
        };
        if (layer is not InputLayer && layer.Built && layer.InputShape is { } shape && layer is not Functional)
            d["build_config"] = new Dictionary<string, object?> { ["input_shape"] = KerasJson.Shape(shape) };
        return d;
    }

    /// <summary>An initializer in Keras 3's serialized form.</summary>
    public static Dictionary<string, object?> Serialize(Initializer initializer)
    {
        ArgumentNullException.ThrowIfNull(initializer);
        var custom = CustomObjects.NameOf(initializer.GetType());
        return new Dictionary<string, object?>
        {
            ["module"] = custom is null ? "keras.initializers" : null,
            ["class_name"] = initializer.GetType().Name,
            ["config"] = initializer.GetConfig(),
            ["registered_name"] = custom,
        };
    }

    /// <summary>An optimizer in Keras 3's serialized form.</summary>
    public static Dictionary<string, object?> Serialize(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        var config = optimizer.GetConfig();
        return new Dictionary<string, object?>
        {
            ["module"] = "keras.optimizers",
            ["class_name"] = optimizer.GetType().Name,
            ["config"] = config,
            ["registered_name"] = null,
        };
    }

    /// <summary>The Keras class name of a layer (its C# class name; Functional for functional models).</summary>
    public static string ClassName(Layer layer) => layer switch
    {
        Sequential => "Sequential",
        Functional => "Functional",
        _ => layer.GetType().Name,
    };

    /// <summary>
    /// A layer's config as Keras 3 saves it: <see cref="Layer.GetConfig"/> with the dtype, and Keras 3's InputLayer
    /// keys (<c>batch_shape</c>).
    /// </summary>
    internal static Dictionary<string, object?> LayerConfigForSaving(Layer layer)
    {
        if (layer is Lambda lambda) lambda.EnsureSerializable();
        var c = layer.GetConfig();
        if (layer is InputLayer)
        {
            var shape = layer.BatchInputShape!;
            return new Dictionary<string, object?>
            {
                ["batch_shape"] = KerasJson.Shape(shape),
                ["dtype"] = "float32",
                ["sparse"] = false,
                ["ragged"] = false,
                ["name"] = layer.Name,
            };
        }
        if (c.TryGetValue("batch_input_shape", out var b) && b is int[] bs) c["batch_input_shape"] = KerasJson.Shape(bs);
        c.TryAdd("dtype", "float32");
        return c;
    }

    // ------------------------------------------------------------------ deserialize

    /// <summary>
    /// Creates an object from its serialized form (Keras 3's or Keras 2's), looking first in the custom objects in
    /// scope, then in <see cref="CustomObjects.Global"/>, then among the built-ins.
    /// </summary>
    /// <exception cref="FormatException">An unknown class: Keras's "Unknown layer" or "Could not locate class" errors.</exception>
    public static object Deserialize(ConfigNode node, Kind kind)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node.Element.ValueKind == System.Text.Json.JsonValueKind.String)
        {
            var name = node.Element.GetString()!;
            return kind switch
            {
                Kind.Initializer => Initializers.Initializer.Get(name),
                Kind.Optimizer => Optimizer.Get(name),
                Kind.Loss => Loss.Get(name),
                Kind.Regularizer => Regularizer.Get(name),
                Kind.Constraint => Constraint.Get(name),
                _ => throw new FormatException($"A layer must be saved as a dictionary; found the string '{name}' in {node.Owner}."),
            };
        }
        var className = node.RequiredString("class_name");
        var registered = node.String("registered_name");
        var module = node.String("module");
        var owner = kind == Kind.Layer ? $"layer '{node.Required("config").String("name") ?? "?"}' ({className})" : $"{kind.ToString().ToLowerInvariant()} {className} ({node.Owner})";
        var config = node.Child("config") ?? new ConfigNode(System.Text.Json.JsonDocument.Parse("{}").RootElement, owner);
        config = new ConfigNode(config.Element, owner);

        foreach (var key in new[] { registered, className })
        {
            if (key is null) continue;
            if (_scope?.TryCreate(key, config, out var fromScope) == true) return fromScope!;
            if (CustomObjects.Global.TryCreate(key, config, out var fromGlobal)) return fromGlobal!;
        }
        bool builtinModule = module is null || module.StartsWith("keras", StringComparison.Ordinal);
        if (registered is null || builtinModule)
        {
            switch (kind)
            {
                case Kind.Layer:
                    Func<ConfigNode, Layer>? lf; lock (Layers) Layers.TryGetValue(className, out lf);
                    if (lf is not null) return ApplyCommon(lf(config), config);
                    break;
                case Kind.Initializer:
                    Func<ConfigNode, Initializer>? inf; lock (Inits) Inits.TryGetValue(className, out inf);
                    if (inf is not null) return inf(config);
                    if (Initializers.Initializer.Names.Contains(className)) return Initializers.Initializer.Get(className);
                    break;
                case Kind.Optimizer:
                    Func<ConfigNode, Optimizer>? of; lock (Opts) Opts.TryGetValue(className, out of);
                    if (of is not null) return of(config);
                    break;
                case Kind.Loss:
                    if (Loss.Names.Contains(className)) return Loss.Get(className);
                    break;
                case Kind.Regularizer:
                    Func<ConfigNode, Regularizer>? rf; lock (Regs) Regs.TryGetValue(className, out rf);
                    if (rf is not null) return rf(config);
                    break;
                case Kind.Constraint:
                    Func<ConfigNode, Constraint>? cf; lock (Cons) Cons.TryGetValue(className, out cf);
                    if (cf is not null) return cf(config);
                    break;
            }
        }
        if (!builtinModule || registered is not null)
            throw new FormatException($"Could not locate class '{registered ?? className}'. Make sure custom classes are decorated with " +
                $"`@keras.saving.register_keras_serializable()` in Keras, and registered in Cortex with CustomObjects.Register<T>(\"{registered ?? className}\") " +
                $"or passed to LoadModel's customObjects. Full object config: {node}");
        if (kind == Kind.Layer)
            throw new FormatException($"Unknown layer: '{className}'. Cortex has no layer of this class; the layers it can load are: {string.Join(", ", LayerClassNames)}. " +
                $"If '{className}' is a custom layer, register it with CustomObjects.Register<T>(\"{className}\") or pass it to LoadModel's customObjects.");
        throw new FormatException($"Unknown {kind.ToString().ToLowerInvariant()}: '{className}'. Cortex has no {kind.ToString().ToLowerInvariant()} of this class. " +
            $"If it is a custom class, register it with CustomObjects.Register<T>(\"{className}\").");
    }

    /// <summary>The object a custom factory named <paramref name="name"/> makes (the load's scope first, then the global set), or null.</summary>
    internal static object? TryCustom(string name, ConfigNode config)
    {
        if (_scope?.TryCreate(name, config, out var fromScope) == true) return fromScope;
        return CustomObjects.Global.TryCreate(name, config, out var fromGlobal) ? fromGlobal : null;
    }

    /// <summary>Deserializes a layer.</summary>
    public static Layer DeserializeLayer(ConfigNode node) => (Layer)Deserialize(node, Kind.Layer);

    /// <summary>Runs <paramref name="action"/> with <paramref name="scope"/>'s custom objects visible to <see cref="Deserialize"/> (Keras's <c>custom_object_scope</c>).</summary>
    public static T WithScope<T>(CustomObjects? scope, Func<T> action)
    {
        var previous = _scope;
        _scope = scope ?? previous;
        try { return action(); }
        finally { _scope = previous; }
    }

    private static Layer ApplyCommon(Layer layer, ConfigNode c)
    {
        if (c.Has("trainable") && !c.Bool("trainable")) layer.Trainable = false;
        return layer;
    }

    private static float Lr(ConfigNode c, float fallback)
    {
        if (c.Has("learning_rate") && c.Element.GetProperty("learning_rate").ValueKind == System.Text.Json.JsonValueKind.Number) return c.Float("learning_rate");
        if (c.Has("learning_rate"))
            throw new FormatException($"The config of {c.Owner} has a learning-rate schedule; Cortex loads only a constant learning_rate.");
        return c.Float("lr", fallback);
    }

    private static Margins1D Margins1(ConfigNode c, string key, int fallback)
    {
        var v = c.Ints(key);
        if (v is null) return fallback;
        return v.Length == 1 ? v[0] : (v[0], v[1]);
    }

    private static Margins2D Margins2(ConfigNode c, string key)
    {
        if (!c.Has(key)) return 1;
        var e = c.Required(key);
        if (e.Element.ValueKind == System.Text.Json.JsonValueKind.Number) return e.Element.GetInt32();
        var items = e.Items();
        if (items[0].Element.ValueKind == System.Text.Json.JsonValueKind.Number) return (items[0].Element.GetInt32(), items[1].Element.GetInt32());
        var h = items[0].Items(); var w = items[1].Items();
        return ((h[0].Element.GetInt32(), h[1].Element.GetInt32()), (w[0].Element.GetInt32(), w[1].Element.GetInt32()));
    }
}

/// <summary>
/// User classes that saved models may name (Keras's <c>custom_objects</c> / <c>register_keras_serializable</c>).
/// <see cref="Register{T}(string)"/> adds a class to the process-wide <see cref="Global"/> set; an instance passed to
/// <c>KerasIO.LoadModel(path, customObjects)</c> is a scope for one load.
/// </summary>
/// <remarks>
/// A registered type is created from its saved config by a public static <c>FromConfig(ConfigNode)</c> method or a
/// public constructor taking a <see cref="ConfigNode"/>; or register a factory with <see cref="Add(string, Func{ConfigNode, object})"/>.
/// Its <c>GetConfig</c> should return what that factory reads.
/// </remarks>
public sealed class CustomObjects
{
    private readonly Dictionary<string, Func<ConfigNode, object>> _factories = new();
    private static readonly Dictionary<Type, string> Names = new();

    /// <summary>The process-wide registrations.</summary>
    public static CustomObjects Global { get; } = new();

    /// <summary>Registers <typeparamref name="T"/> globally under <paramref name="name"/>.</summary>
    public static void Register<T>(string name)
    {
        Global.Add<T>(name);
        lock (Names) Names[typeof(T)] = name;
    }

    /// <summary>Adds <typeparamref name="T"/> under <paramref name="name"/>; returns this set, for chaining.</summary>
    /// <exception cref="ArgumentException">T has neither <c>static FromConfig(ConfigNode)</c> nor a <c>(ConfigNode)</c> constructor.</exception>
    public CustomObjects Add<T>(string name)
    {
        var t = typeof(T);
        var method = t.GetMethod("FromConfig", BindingFlags.Public | BindingFlags.Static, new[] { typeof(ConfigNode) });
        var ctor = t.GetConstructor(new[] { typeof(ConfigNode) });
        Func<ConfigNode, object> f = method is not null ? c => method.Invoke(null, new object[] { c })!
            : ctor is not null ? c => ctor.Invoke(new object[] { c })
            : throw new ArgumentException($"Cannot register {t.Name} as '{name}': it needs a public static FromConfig(ConfigNode) method or a public constructor taking a ConfigNode.");
        return Add(name, f);
    }

    /// <summary>Adds a factory under <paramref name="name"/>.</summary>
    public CustomObjects Add(string name, Func<ConfigNode, object> fromConfig)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(fromConfig);
        lock (_factories) _factories[name] = fromConfig;
        return this;
    }

    internal bool TryCreate(string name, ConfigNode config, out object? created)
    {
        Func<ConfigNode, object>? f;
        lock (_factories) _factories.TryGetValue(name, out f);
        if (f is null) { created = null; return false; }
        try { created = f(config); }
        catch (TargetInvocationException e) when (e.InnerException is not null) { throw e.InnerException; }
        return true;
    }

    /// <summary>The globally registered name of a type, written as its <c>registered_name</c>; null for built-ins.</summary>
    internal static string? NameOf(Type t) { lock (Names) return Names.GetValueOrDefault(t); }
}
