"use client";

import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { useServerAction } from "@/components/use-server-action";
import { cancelTwoFactorSetup, goToVerifyStep } from "../actions";

export function ScanStepActions() {
  const router = useRouter();
  const next = useServerAction(goToVerifyStep, () => router.refresh());
  const cancel = useServerAction(cancelTwoFactorSetup, () => router.push("/settings"));
  return (
    <>
      <FormAlert message={next.message ?? cancel.message} />
      <div className="flex flex-wrap gap-3">
        <Button onClick={() => next.run()} disabled={next.pending}>
          Continue
        </Button>
        <Button variant="secondary" onClick={() => cancel.run()} disabled={cancel.pending}>
          Cancel setup
        </Button>
      </div>
    </>
  );
}
