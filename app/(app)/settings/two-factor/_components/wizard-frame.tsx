import type { ReactNode } from "react";
import { Card } from "@/components/ui/card";
import { StepHeading } from "./step-heading";

type WizardFrameProps = { step: 1 | 2 | 3 | 4; title: string; children: ReactNode };

const STEP_NAMES = ["Choose an app", "Scan the QR code", "Enter a code", "Save backup codes"];

export function WizardFrame({ step, title, children }: WizardFrameProps) {
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-bold">Enable Two-Factor Authentication</h1>
      <ol aria-label="Progress" className="grid grid-cols-4 gap-2 text-xs sm:text-sm">
        {STEP_NAMES.map((name, index) => (
          <li
            key={name}
            aria-current={index + 1 === step ? "step" : undefined}
            className={`border-t-4 pt-2 ${index + 1 <= step ? "border-indigo-700 text-slate-900" : "border-slate-300 text-slate-600"}`}
          >
            <span className="sr-only">Step {index + 1}: </span>
            {name}
          </li>
        ))}
      </ol>
      <Card>
        {/* keyed by step: a new heading mounts (and takes focus) whenever the step changes */}
        <StepHeading key={step}>
          Step {step} of 4: {title}
        </StepHeading>
        <div className="mt-4 flex flex-col gap-4">{children}</div>
      </Card>
    </div>
  );
}
