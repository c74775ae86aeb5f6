import { NoSuchAlert } from "@/components/anomalies/detail/NoSuchAlert";

export default function AlertNotFound() {
  return (
    <NoSuchAlert title="No alert has this id">
      <p>The address may have been copied incompletely, or it belongs to another Ledgerline instance.</p>
    </NoSuchAlert>
  );
}
