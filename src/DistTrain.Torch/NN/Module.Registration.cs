using System.Collections.Concurrent;
using System.Reflection;

namespace DistTrain.Torch;

public static partial class torch
{
    public static partial class nn
    {
        public abstract partial class Module
        {
            private static readonly ConcurrentDictionary<Type, FieldInfo[]> componentFields = new();

            /// <summary>
            /// Registers the derived class's fields of type <see cref="Parameter"/> (as parameters),
            /// <see cref="Module"/> (as children) and other <see cref="Tensor"/>s (as persistent buffers),
            /// base class fields first, each class's in declaration order. The key is the field's name
            /// with one leading underscore removed ("_fc1" → "fc1"); an auto-property's key is the
            /// property's name. Null fields are skipped. Call it once, at the end of the constructor;
            /// the fields are found by reflection once per type.
            /// </summary>
            protected void RegisterComponents()
            {
                foreach (var field in componentFields.GetOrAdd(GetType(), FindComponentFields))
                {
                    var key = ComponentName(field.Name);
                    switch (field.GetValue(this))
                    {
                        case Parameter p: register_parameter(key, p); break;
                        case Module m: register_module(key, m); break;
                        case Tensor t: register_buffer(key, t); break;
                    }
                }
            }

            private static FieldInfo[] FindComponentFields(Type type)
            {
                var chain = new Stack<Type>();
                for (var t = type; t is not null && t != typeof(Module); t = t.BaseType) chain.Push(t);
                var fields = new List<FieldInfo>();
                const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
                foreach (var t in chain)
                    foreach (var f in t.GetFields(flags).OrderBy(f => f.MetadataToken))
                        if (typeof(Tensor).IsAssignableFrom(f.FieldType) || typeof(Module).IsAssignableFrom(f.FieldType))
                            fields.Add(f);
                return fields.ToArray();
            }

            private static string ComponentName(string fieldName)
            {
                // Compiler-generated backing field of an auto-property: "<fc1>k__BackingField".
                if (fieldName.StartsWith('<') && fieldName.IndexOf('>') is var end and > 1) return fieldName[1..end];
                return fieldName.Length > 1 && fieldName[0] == '_' ? fieldName[1..] : fieldName;
            }
        }
    }
}
