import { useId, type InputHTMLAttributes } from "react";

type TextFieldProps = InputHTMLAttributes<HTMLInputElement> & {
  label: string;
  name: string;
  errors?: string[];
  hint?: string;
};

export function TextField({ label, name, errors, hint, className = "", ...props }: TextFieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors?.length ? `${id}-error` : undefined;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-900">
        {label}
      </label>
      {hint && (
        <p id={hintId} className="text-sm text-slate-600">
          {hint}
        </p>
      )}
      <input
        id={id}
        name={name}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}
        className={`min-h-11 rounded-md border border-slate-400 px-3 py-2 text-base text-slate-900 focus-visible:outline-3 focus-visible:outline-indigo-600 aria-invalid:border-red-700 ${className}`}
        {...props}
      />
      {errorId && (
        <p id={errorId} className="text-sm text-red-700">
          {errors?.[0]}
        </p>
      )}
    </div>
  );
}
