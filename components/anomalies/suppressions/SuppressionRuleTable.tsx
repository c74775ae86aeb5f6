import { FINDING_TYPE_LABELS } from "@/components/anomalies/labels";
import { LocalTime } from "@/components/logs/LocalTime";
import { TableHead } from "@/components/ui/TableHead";
import type { SuppressionRuleJson } from "@/lib/derived/alerts/suppression-json";
import { RemoveRuleButton } from "./RemoveRuleButton";

const STATUS_STYLES = {
  active: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  expired: "bg-slate-100 text-slate-600 ring-slate-300",
  removed: "bg-slate-100 text-slate-600 ring-slate-300",
};

/** The rules, one row each, with a remove button for those who may change them. */
export function SuppressionRuleTable({
  rules,
  canChange,
}: {
  rules: readonly SuppressionRuleJson[];
  canChange: boolean;
}) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Suppression rules</caption>
        <TableHead
          columns={[
            "Type",
            "Subject",
            "Source",
            "Reason",
            "Created by",
            "Created",
            "Expires",
            "Status",
            ...(canChange ? [""] : []),
          ]}
        />
        <tbody>
          {rules.map((rule) => {
            const subject = [rule.ip, rule.user && `user ${rule.user}`].filter(Boolean).join(", ");
            const typeLabel = rule.type ? FINDING_TYPE_LABELS[rule.type] : "Any type";
            return (
              <tr
                key={rule.id}
                data-rule-id={rule.id}
                data-rule-status={rule.status}
                className="border-b border-slate-100 align-top"
              >
                <td className="py-2 pr-4">{typeLabel}</td>
                <td className="py-2 pr-4 break-all font-mono text-xs">
                  {subject || <span className="font-sans text-slate-500">–</span>}
                </td>
                <td className="py-2 pr-4 break-all">{rule.source ?? <span className="text-slate-500">–</span>}</td>
                <td className="py-2 pr-4 break-words">{rule.reason}</td>
                <td className="py-2 pr-4 break-all">{rule.created_by}</td>
                <td className="py-2 pr-4">
                  <LocalTime iso={rule.created_at.toISOString()} />
                </td>
                <td className="py-2 pr-4">
                  {rule.expires_at ? <LocalTime iso={rule.expires_at.toISOString()} /> : "never"}
                </td>
                <td className="py-2 pr-4">
                  <span
                    className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ${STATUS_STYLES[rule.status]}`}
                  >
                    {rule.status}
                  </span>
                </td>
                {canChange && (
                  <td className="py-2 text-right">
                    <RemoveRuleButton
                      id={rule.id}
                      description={`${typeLabel.toLowerCase()} of ${subject || `source ${rule.source}`}`}
                    />
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
