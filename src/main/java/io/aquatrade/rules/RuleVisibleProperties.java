package io.aquatrade.rules;

import org.drools.base.RuleBase;
import org.drools.base.base.ClassObjectType;
import org.drools.base.base.ObjectType;
import org.drools.base.definitions.rule.impl.RuleImpl;
import org.drools.base.reteoo.PropertySpecificUtil;
import org.drools.base.rule.Declaration;
import org.drools.base.rule.Pattern;
import org.drools.base.rule.RuleConditionElement;
import org.drools.base.rule.accessor.ReadAccessor;
import org.drools.base.rule.constraint.Constraint;
import org.drools.util.bitmask.BitMask;
import org.kie.api.KieBase;
import org.kie.api.definition.KiePackage;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which properties of a fact class the rules of one rule set can read: those their patterns of the class
 * constrain or bind (as Drools' own property reactivity computes them). A fact whose new value differs from
 * the session's only in other properties cannot change any match or anything a consequence sees, so the engine
 * leaves the session's copy in place instead of updating it (an update costs a re-evaluation of every pattern
 * of the class). Conservative: a pattern that binds the fact itself ({@code $m : MarketSnapshot()}), matches
 * it through a supertype, or has a constraint whose properties Drools cannot name makes every property visible,
 * and then only full equality skips the update.
 */
final class RuleVisibleProperties {

    private final KieBase kieBase;
    private final Map<Class<?>, Comparison> byClass = new ConcurrentHashMap<>();

    RuleVisibleProperties(KieBase kieBase) {
        this.kieBase = Objects.requireNonNull(kieBase, "kieBase");
    }

    /**
     * The visible properties in which {@code next} differs from {@code current}: empty when no rule of the set can
     * tell them apart, null when it cannot say (a class the rules may read anything of, two classes, a getter that
     * fails): then the whole fact counts as changed. The engine passes the names to Drools' update, so only the
     * patterns that read one of them are re-evaluated (property reactivity), not every pattern of the class.
     */
    String[] changedForRules(Object current, Object next) {
        if (current == null || next == null || current.getClass() != next.getClass()) {
            return null;
        }
        return byClass.computeIfAbsent(current.getClass(), this::comparisonOf).changed(current, next);
    }

    /** The visible property names of {@code type}, or null when every property is visible (for tests and logs). */
    List<String> visible(Class<?> type) {
        Comparison c = byClass.computeIfAbsent(type, this::comparisonOf);
        return c.names == null ? null : List.copyOf(c.names);
    }

    private record Comparison(List<String> names, Method[] getters) {
        String[] changed(Object a, Object b) {
            if (getters == null) {
                return null;
            }
            try {
                String[] out = NONE;
                int n = 0;
                for (int i = 0; i < getters.length; i++) {
                    if (!Objects.equals(getters[i].invoke(a), getters[i].invoke(b))) {
                        if (n == 0) {
                            out = new String[getters.length - i];
                        }
                        out[n++] = names.get(i);
                    }
                }
                return n == out.length ? out : java.util.Arrays.copyOf(out, n);
            } catch (ReflectiveOperationException e) {
                return null;
            }
        }
    }

    private static final String[] NONE = new String[0];

    private static final Comparison ALL = new Comparison(null, null);

    private Comparison comparisonOf(Class<?> type) {
        try {
            Set<String> names = visibleNames(type);
            if (names == null) {
                return ALL;
            }
            List<Method> getters = new ArrayList<>();
            for (String n : names) {
                Method m = getter(type, n);
                if (m == null) {
                    return ALL;
                }
                getters.add(m);
            }
            return new Comparison(List.copyOf(names), getters.toArray(new Method[0]));
        } catch (RuntimeException | LinkageError e) {
            return ALL; // a Drools internal that changed shape: fall back to full equality
        }
    }

    /** The properties some pattern of {@code type} listens to, or null for all. */
    private Set<String> visibleNames(Class<?> type) {
        RuleBase ruleBase = (RuleBase) kieBase;
        List<String> accessible = PropertySpecificUtil.getAccessibleProperties(ruleBase, type);
        Set<String> out = new LinkedHashSet<>();
        Map<Object, Boolean> seen = new IdentityHashMap<>();
        for (KiePackage pkg : kieBase.getKiePackages()) {
            List<Object> rulesAndQueries = new ArrayList<>(pkg.getRules());
            rulesAndQueries.addAll(pkg.getQueries()); // a query hands whole facts to the rule that calls it
            for (Object r : rulesAndQueries) {
                if (!(r instanceof RuleImpl rule)) {
                    return null;
                }
                if (!collect(rule.getLhs(), type, accessible, out, seen, NOT_GATHERED)) {
                    return null;
                }
            }
        }
        return out;
    }

    private static final int NOT_GATHERED = 0;
    private static final int ACCUMULATED = 1;
    private static final int COLLECTED = 2;

    /** Adds what the patterns under {@code e} read of {@code type}; false when they may read anything. */
    private static boolean collect(RuleConditionElement e, Class<?> type, List<String> accessible, Set<String> out,
                                   Map<Object, Boolean> seen, int gathered) {
        if (e == null || seen.put(e, Boolean.TRUE) != null) {
            return true;
        }
        if (e instanceof Pattern p && !pattern(p, type, accessible, out, gathered)) {
            return false;
        }
        // what a collect or an accumulate gathers may hand the facts themselves to the rule
        int below = e instanceof org.drools.base.rule.Collect ? COLLECTED
                : e instanceof org.drools.base.rule.Accumulate ? Math.max(gathered, ACCUMULATED) : gathered;
        for (RuleConditionElement child : e.getNestedElements()) {
            if (!collect(child, type, accessible, out, seen, below)) {
                return false;
            }
        }
        return true;
    }

    private static boolean pattern(Pattern p, Class<?> type, List<String> accessible, Set<String> out,
                                   int gathered) {
        org.drools.base.rule.PatternSource source = p.getSource();
        if (source instanceof org.drools.base.rule.Accumulate || source instanceof org.drools.base.rule.Collect
                || source instanceof org.drools.base.rule.From) {
            return true; // matches what its source yields, not facts (the source's own patterns are visited)
        }
        ObjectType ot = p.getObjectType();
        if (!(ot instanceof ClassObjectType cot)) {
            return false;
        }
        Class<?> patternClass = cot.getClassType();
        if (!patternClass.isAssignableFrom(type)) {
            return true; // not about this class
        }
        if (patternClass != type || p.getDeclaration() != null) {
            return false; // the fact itself is bound, or matched as a supertype: anything of it may be read
        }
        if (gathered == COLLECTED || (gathered == ACCUMULATED && p.getDeclarations().isEmpty())) {
            return false; // gathered whole (collect, or an accumulate over nothing bound): the rule may read anything of it
        }
        for (Constraint c : p.getConstraints()) {
            BitMask mask = c.getListenedPropertyMask(Optional.of(p), ot, accessible);
            if (PropertySpecificUtil.isAllSetPropertyReactiveMask(mask)) {
                return false;
            }
            boolean any = false;
            for (int i = 0; i < accessible.size(); i++) {
                if (PropertySpecificUtil.isPropertySetOnMask(mask, i)) {
                    out.add(accessible.get(i));
                    any = true;
                }
            }
            if (!any) {
                return false; // a constraint that reads nothing Drools can name
            }
        }
        for (String watched : p.getListenedProperties()) {
            String w = watched.startsWith("!") ? watched.substring(1) : watched;
            if ("*".equals(w) || !accessible.contains(w)) {
                return false;
            }
            out.add(w);
        }
        for (Declaration d : p.getDeclarations().values()) {
            ReadAccessor ra = d.getExtractor();
            String field = fieldName(ra);
            if (field == null || !accessible.contains(field)) {
                return false;
            }
            out.add(field);
        }
        return true;
    }

    private static String fieldName(ReadAccessor ra) {
        if (ra instanceof org.drools.core.base.FieldNameSupplier s) {
            return s.getFieldName();
        }
        return null;
    }

    private static Method getter(Class<?> type, String property) {
        String cap = Character.toUpperCase(property.charAt(0)) + property.substring(1);
        for (String name : new String[] {"get" + cap, "is" + cap, property}) {
            try {
                Method m = type.getMethod(name);
                if (m.getReturnType() != void.class) {
                    m.setAccessible(true);
                    return m;
                }
            } catch (NoSuchMethodException | SecurityException e) {
                // next form
            }
        }
        return null;
    }
}
