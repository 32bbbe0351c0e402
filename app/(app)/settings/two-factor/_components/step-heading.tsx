"use client";

import { useEffect, useRef, type ReactNode } from "react";

/** Each step's heading takes focus when it appears, so keyboard and screen-reader users follow along. */
export function StepHeading({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <h2 ref={ref} tabIndex={-1} className="text-xl font-semibold focus:outline-none">
      {children}
    </h2>
  );
}
